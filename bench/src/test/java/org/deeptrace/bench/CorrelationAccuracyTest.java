package org.deeptrace.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.correlator.deeptrace.internal.DeepTraceCorrelator;
import org.deeptrace.correlator.delay.internal.DelayCorrelator;
import org.deeptrace.correlator.fifo.internal.FifoCorrelator;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays the shared correlation datasets in-process through HTTP/1 parsing and each correlator, and holds the
 * end-to-end accuracy (traces whose every client span got its true parent) to the figures measured when the
 * correlators were written, a point or so below them: whole-capture windows (the default 5 s), and short windows
 * where each process's model must carry what it learned from window to window (with a grace shorter than the
 * pipeline's 200 ms reordering, a few early windows are decided before their server spans arrive). The shared datasets live beside the repository, as on CI.
 */
class CorrelationAccuracyTest {
    static final Path DATASETS = Path.of(System.getProperty("deeptrace.shared", "../../shared"), "datasets");
    static final Map<String, Supplier<Correlator>> CORRELATORS = Map.of("fifo", FifoCorrelator::new, "delay",
            DelayCorrelator::new, "deeptrace", DeepTraceCorrelator::new);

    @ParameterizedTest(name = "{0} {1} window {2} ms grace {3} ms: e2e >= {4}")
    @CsvSource({
        "rps100,       fifo,      5000, 5000, 0.80",
        "rps100,       delay,     5000, 5000, 0.89",
        "rps100,       deeptrace, 5000, 5000, 0.99",
        "rps100-blind, fifo,      5000, 5000, 0.80",
        "rps100-blind, delay,     5000, 5000, 0.89",
        "rps100-blind, deeptrace, 5000, 5000, 0.92",
        "rps100,       delay,      250,  250, 0.84",
        "rps100,       deeptrace,  250,  250, 0.99",
        "rps100-blind, delay,      250,  250, 0.84",
        "rps100-blind, deeptrace,  250,  250, 0.91",
        "rps100,       deeptrace,   50,   20, 0.99",
        "rps100-blind, fifo,        50,   20, 0.79",
        "rps100-blind, delay,       50,   20, 0.84",
        "rps100-blind, deeptrace,   50,   20, 0.91",
    })
    void endToEndAccuracyHolds(String dataset, String correlator, long windowMs, long graceMs, double minimum)
            throws Exception {
        Path capture = DATASETS.resolve(dataset + ".capture.jsonl");
        assertTrue(Files.isRegularFile(capture), "shared dataset missing (the team's shared/ must sit beside the repository): " + capture);
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(capture, new CaptureInput.ReadOptions(false), records::add);
        PipelineSettings d = PipelineSettings.defaults("test");
        PipelineSettings settings = new PipelineSettings(d.host(), windowMs * PipelineSettings.MS,
                graceMs * PipelineSettings.MS,
                d.reorderNs(), d.idleNs(), d.minConfidence());

        List<Span> spans = CorrelationBench.run(records, CORRELATORS.get(correlator).get(), settings);
        double e2e = endToEnd(truth(DATASETS.resolve(dataset + ".truth.jsonl")), spans);

        System.out.printf("%s %s window %d ms grace %d ms: e2e %.4f%n", dataset, correlator, windowMs, graceMs, e2e);
        assertTrue(e2e >= minimum, dataset + " " + correlator + ": e2e " + e2e + " < " + minimum);
    }

    /** True trace id by (tgid, local, remote, start_ns). */
    static Map<String, String> truth(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> out = new HashMap<>();
        try (var lines = Files.lines(file)) {
            lines.filter(l -> !l.isBlank()).forEach(l -> {
                try {
                    JsonNode t = json.readTree(l);
                    out.put(key(t.get("tgid").asInt(), t.get("local").asText(), t.get("remote").asText(),
                            t.get("start_ns").asLong()), t.get("trace").isNull() ? null : t.get("trace").asText());
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": " + l, e);
                }
            });
        }
        return out;
    }

    static String key(int tgid, String local, String remote, long startNs) {
        return tgid + "|" + local + "|" + remote + "|" + startNs;
    }

    static String trace(Map<String, String> truth, Span s) {
        return truth.get(key(s.tgid(), s.local(), s.remote(), s.startNs()));
    }

    /** The scorer's end-to-end figure: traces whose every client span has a parent of the same true trace. */
    static double endToEnd(Map<String, String> truth, List<Span> spans) {
        Map<String, Span> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.spanId(), s));
        Set<String> traces = new HashSet<>();
        Set<String> wrong = new HashSet<>();
        for (Span s : spans) {
            String trace = s.kind() == SpanKind.CLIENT ? trace(truth, s) : null;
            if (trace == null) {
                continue;
            }
            traces.add(trace);
            Span parent = s.parentSpanId() == null ? null : byId.get(s.parentSpanId());
            if (parent == null || !Objects.equals(trace, trace(truth, parent))) {
                wrong.add(trace);
            }
        }
        return traces.isEmpty() ? 0 : (traces.size() - wrong.size()) / (double) traces.size();
    }
}
