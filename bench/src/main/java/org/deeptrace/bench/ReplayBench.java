package org.deeptrace.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.correlator.fifo.internal.FifoCorrelator;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.MessageOutput;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.http1.internal.Http1Protocol;

/**
 * Throughput of the pipeline's hot path — reassembly, HTTP/1 inference and parsing, pairing, span assembly and
 * FIFO correlation — on a real capture held in memory (file reading is measured apart).
 *
 * <pre>java -cp bench/target/deeptrace-bench.jar org.deeptrace.bench.ReplayBench CAPTURE.jsonl [seconds] [spans-out]</pre>
 *
 * Prints records/s, payload MB/s and spans/s per round; compare ratios within one run, not across machines.
 */
public final class ReplayBench {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ReplayBench CAPTURE.jsonl [seconds] [spans-out]");
            System.exit(2);
        }
        Path input = Path.of(args[0]);
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 20;
        List<CaptureRecord> records = new ArrayList<>();
        long t0 = System.nanoTime();
        new CaptureJsonlInput().read(input, new CaptureInput.ReadOptions(false), r -> records.add(r));
        double readS = (System.nanoTime() - t0) / 1e9;
        long payload = records.stream().mapToLong(CaptureRecord::capturedSize).sum();
        System.out.printf(Locale.ROOT, "read %d records (%.1f MB payload) in %.3f s: %.0f records/s%n", records.size(),
                payload / 1e6, readS, records.size() / readS);

        if (args.length > 2) {
            List<Span> spans = run(records);
            try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[2]))) {
                for (Span s : spans) {
                    w.write(RecordJson.span(s));
                    w.write('\n');
                }
            }
            System.out.println("wrote " + spans.size() + " spans to " + args[2]);
        }

        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int round = 0;
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            int passes = 0;
            long spans = 0;
            while (System.nanoTime() - start < 2_000_000_000L) {
                spans += run(records).size();
                passes++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: %.0f records/s, %.1f MB/s payload, %.0f spans/s%n", ++round,
                    passes * records.size() / s, passes * payload / 1e6 / s, spans / s);
        }
    }

    static List<Span> run(List<CaptureRecord> records) {
        List<Span> out = new ArrayList<>();
        FifoCorrelator fifo = new FifoCorrelator();
        Pipeline p = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol())), () -> fifo,
                PipelineSettings.defaults("bench"), new Counters(), MessageOutput.NONE, out::addAll);
        for (CaptureRecord r : records) {
            p.accept(r);
        }
        p.finish();
        return out;
    }

    /** The pipeline counters of one pass, for checking what the measured run dropped. */
    static Map<String, Long> counters(List<CaptureRecord> records) {
        Counters c = new Counters();
        FifoCorrelator fifo = new FifoCorrelator();
        Pipeline p = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol())), () -> fifo,
                PipelineSettings.defaults("bench"), c, MessageOutput.NONE, s -> { });
        records.forEach(p::accept);
        p.finish();
        return c.snapshot();
    }

    private ReplayBench() {
    }
}
