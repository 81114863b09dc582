package org.deeptrace.bench;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.correlator.deeptrace.internal.DeepTraceCorrelator;
import org.deeptrace.correlator.delay.internal.DelayCorrelator;
import org.deeptrace.correlator.fifo.internal.FifoCorrelator;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.MessageOutput;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.http1.internal.Http1Protocol;

/**
 * Correlation throughput on one core, per correlator: the capture is run once through the pipeline to record the
 * correlation windows it produces (what the correlation stage hands a correlator), then each correlator decides
 * those windows again and again, a fresh instance per pass so every pass starts unlearned.
 *
 * <pre>java -cp ... org.deeptrace.bench.CorrelationBench CAPTURE.jsonl [seconds-per-correlator] [spans-out-dir|-] [names]</pre>
 *
 * With a third argument, also writes {@code DIR/NAME.spans.jsonl} per correlator (the full pipeline's output)
 * for the scorer ({@code -}: none); a fourth, comma-separated names, limits the run to those correlators. Prints
 * client spans decided and spans (clients + servers) per CPU-second of the benchmark thread: one core, and
 * steadier than wall time on a shared machine — and the bytes a correlator allocates per window (its working
 * memory, all garbage once the window is decided; what it keeps across windows is bounded by its model caps).
 */
public final class CorrelationBench {
    static final List<Supplier<Correlator>> CORRELATORS = List.of(FifoCorrelator::new, DelayCorrelator::new,
            DeepTraceCorrelator::new);

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CorrelationBench CAPTURE.jsonl [seconds-per-correlator] [spans-out-dir|-] [names,...]");
            System.exit(2);
        }
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(Path.of(args[0]), new CaptureInput.ReadOptions(false), records::add);
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 10;
        List<CorrelationWindow> windows = windows(records);
        long clientSpans = 0;
        long spans = 0;
        for (CorrelationWindow w : windows) {
            clientSpans += w.clients().size();
            spans += w.clients().size() + w.servers().size();
        }
        System.out.printf(Locale.ROOT, "%d windows, %d client spans, %d spans%n", windows.size(), clientSpans, spans);
        for (Supplier<Correlator> factory : CORRELATORS) {
            String name = factory.get().name();
            if (args.length > 3 && !List.of(args[3].split(",")).contains(name)) {
                continue;
            }
            if (args.length > 2 && !args[2].equals("-")) {
                Path out = Path.of(args[2], name + ".spans.jsonl");
                write(run(records, factory.get()), out);
                System.out.println("wrote " + out);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long passes = 0;
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long allocatedStart = allocatedBytes(threads);
            while (System.nanoTime() < deadline || passes == 0) {
                Correlator c = factory.get();
                for (CorrelationWindow w : windows) {
                    consume(c.correlate(w));
                }
                passes++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            double allocatedPerWindow = (allocatedBytes(threads) - allocatedStart) / (double) (passes * windows.size());
            System.out.printf(Locale.ROOT,
                    "%-10s %9.0f client spans/s %9.0f spans/s per CPU-second (%d passes, %.1f s CPU, %.1f s wall), "
                            + "%.2f MB allocated per window%n",
                    name, passes * clientSpans / cpu, passes * spans / cpu, passes, cpu, s, allocatedPerWindow / 1e6);
        }
    }

    private static long sink;

    /** Bytes the current thread allocated so far (HotSpot), or 0 where the JVM cannot tell. */
    private static long allocatedBytes(ThreadMXBean threads) {
        if (threads instanceof com.sun.management.ThreadMXBean hotspot) {
            return hotspot.getCurrentThreadAllocatedBytes();
        }
        return 0;
    }

    private static void consume(List<Decision> decisions) {
        for (Decision d : decisions) {
            sink += d.candidates();
        }
    }

    /** The windows the correlation stage builds for this capture (with FIFO deciding, for earlier children). */
    static List<CorrelationWindow> windows(List<CaptureRecord> records) {
        List<CorrelationWindow> windows = new ArrayList<>();
        FifoCorrelator fifo = new FifoCorrelator();
        Correlator recording = new Correlator() {
            @Override
            public String name() {
                return fifo.name();
            }

            @Override
            public List<Decision> correlate(CorrelationWindow window) {
                windows.add(window);
                return fifo.correlate(window);
            }
        };
        run(records, recording);
        return windows;
    }

    static List<Span> run(List<CaptureRecord> records, Correlator correlator) {
        return run(records, correlator, PipelineSettings.defaults("bench"));
    }

    /** The pipeline's output spans for {@code records}, correlated by {@code correlator}. */
    static List<Span> run(List<CaptureRecord> records, Correlator correlator, PipelineSettings settings) {
        return run(records, r -> settings.host(), correlator, settings);
    }

    /** As {@link #run(List, Correlator, PipelineSettings)}, each record captured on the host {@code hostOf} names. */
    static List<Span> run(List<CaptureRecord> records, java.util.function.Function<CaptureRecord, String> hostOf,
            Correlator correlator, PipelineSettings settings) {
        List<Span> out = new ArrayList<>();
        Pipeline p = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol())), () -> correlator, settings,
                new Counters(), MessageOutput.NONE, out::addAll);
        for (CaptureRecord r : records) {
            p.accept(hostOf.apply(r), r);
        }
        p.finish();
        return out;
    }

    private static void write(List<Span> spans, Path out) throws java.io.IOException {
        Set<String> seen = new HashSet<>();
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            for (Span s : spans) {
                if (seen.add(s.spanId())) {
                    w.write(RecordJson.span(s));
                    w.write('\n');
                }
            }
        }
    }

    private CorrelationBench() {
    }
}
