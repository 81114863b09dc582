package org.deeptrace.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.correlator.deeptrace.internal.DeepTraceCorrelator;
import org.deeptrace.correlator.delay.internal.DelayCorrelator;
import org.deeptrace.correlator.fifo.internal.FifoCorrelator;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.MessageOutput;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.dns.internal.DnsProtocol;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.deeptrace.protocol.redis.internal.RedisProtocol;

/**
 * The accuracy table in one JVM, for working on a correlator: replays captures in-process (HTTP/1, Redis and DNS
 * parsing, default pipeline settings, as {@code bin/deeptrace replay}) through each correlator and prints the
 * end-to-end accuracy (the shared scorer's figure: traces whose every client span got a parent of its own trace)
 * and the calibration of {@code correlation.score} (share right among client decisions scored at least 0.9).
 * {@code bench/datasets/score-all} gives the same table through the distribution, in 10–16 minutes rather than
 * one or two.
 *
 * <pre>bench/run CorrelationScore [--algos fifo,delay,deeptrace] [--out DIR] [--window MS/GRACE_MS] CAPTURE=TRUTH ...</pre>
 *
 * CAPTURE and TRUTH are contract JSON lines, gzip or not. With {@code --out}, writes {@code DIR/NAME-ALGO.spans.jsonl}
 * per run (for {@code bench/datasets/explain}).
 */
public final class CorrelationScore {
    static final Map<String, Supplier<Correlator>> CORRELATORS = Map.of("fifo", FifoCorrelator::new,
            "delay", DelayCorrelator::new, "deeptrace", DeepTraceCorrelator::new);

    public static void main(String[] args) throws Exception {
        List<String> algos = List.of("fifo", "delay", "deeptrace");
        Path out = null;
        PipelineSettings settings = PipelineSettings.defaults("score");
        List<String> runs = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--algos" -> algos = List.of(args[++a].split(","));
                case "--out" -> out = Path.of(args[++a]);
                case "--window" -> {
                    String[] wg = args[++a].split("/", 2);
                    settings = settings.withWindow(Long.parseLong(wg[0]) * PipelineSettings.MS,
                            Long.parseLong(wg[wg.length - 1]) * PipelineSettings.MS);
                }
                default -> runs.add(args[a]);
            }
        }
        if (runs.isEmpty()) {
            System.err.println("usage: CorrelationScore [--algos fifo,delay,deeptrace] [--out DIR] [--window MS/GRACE_MS] CAPTURE=TRUTH ...");
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "%-28s %-10s %7s %7s %9s%n", "capture", "correlator", "e2e", "calib", "scored>=.9");
        for (String run : runs) {
            String[] ct = run.split("=", 2);
            Path capture = Path.of(ct[0]);
            Map<String, String> truth = truth(Path.of(ct[1]));
            List<CaptureRecord> records = new ArrayList<>();
            new CaptureJsonlInput().read(capture, new CaptureInput.ReadOptions(false), records::add);
            String name = capture.getFileName().toString().replaceAll("\\.capture\\.jsonl(\\.gz)?$", "");
            for (String algo : algos) {
                List<Span> spans = run(records, CORRELATORS.get(algo).get(), settings);
                Score s = score(truth, spans);
                System.out.printf(Locale.ROOT, "%-28s %-10s %7.4f %7.4f %9d%n", name, algo, s.e2e, s.calibration,
                        s.confident);
                if (out != null) {
                    write(spans, out.resolve(name + "-" + algo + ".spans.jsonl"));
                }
            }
        }
    }

    static List<Span> run(List<CaptureRecord> records, Correlator correlator, PipelineSettings settings) {
        List<Span> out = new ArrayList<>();
        Pipeline p = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol(), new RedisProtocol(), new DnsProtocol())),
                () -> correlator, settings, new Counters(), MessageOutput.NONE, out::addAll);
        for (CaptureRecord r : records) {
            p.accept(settings.host(), r);
        }
        p.finish();
        return out;
    }

    record Score(double e2e, double calibration, int confident) {
    }

    /** End-to-end as the shared scorer counts it, and the share right among client decisions scored >= 0.9. */
    static Score score(Map<String, String> truth, List<Span> spans) {
        Map<String, Span> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.spanId(), s));
        Set<String> traces = new HashSet<>();
        Set<String> wrong = new HashSet<>();
        int confident = 0;
        int confidentRight = 0;
        for (Span s : spans) {
            String trace = s.kind() == SpanKind.CLIENT ? truth.get(key(s)) : null;
            if (trace == null) {
                continue;
            }
            traces.add(trace);
            Span parent = s.parentSpanId() == null ? null : byId.get(s.parentSpanId());
            boolean right = parent != null && Objects.equals(trace, truth.get(key(parent)));
            if (!right) {
                wrong.add(trace);
            }
            if (s.correlation() != null && parent != null && s.correlation().score() >= 0.9) {
                confident++;
                confidentRight += right ? 1 : 0;
            }
        }
        return new Score(traces.isEmpty() ? 0 : (traces.size() - wrong.size()) / (double) traces.size(),
                confident == 0 ? Double.NaN : confidentRight / (double) confident, confident);
    }

    static String key(Span s) {
        return s.tgid() + "|" + s.local() + "|" + s.remote() + "|" + s.startNs();
    }

    private static final Pattern FIELD = Pattern.compile(
            "\"(tgid|local|remote|start_ns|trace)\"\\s*:\\s*(null|\"([^\"]*)\"|(-?\\d+))");

    /** True trace by (tgid, local, remote, start_ns); the truth format is flat, so a regex reads it. */
    static Map<String, String> truth(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (BufferedReader in = reader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, String> f = new HashMap<>();
                Matcher m = FIELD.matcher(line);
                while (m.find()) {
                    f.put(m.group(1), m.group(2).equals("null") ? null : m.group(3) != null ? m.group(3) : m.group(4));
                }
                out.putIfAbsent(f.get("tgid") + "|" + f.get("local") + "|" + f.get("remote") + "|" + f.get("start_ns"),
                        f.get("trace"));
            }
        }
        return out;
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static void write(List<Span> spans, Path out) throws IOException {
        Files.createDirectories(out.getParent());
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

    private CorrelationScore() {
    }
}
