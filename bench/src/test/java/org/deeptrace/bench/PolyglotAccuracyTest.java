package org.deeptrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.MessageOutput;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.deeptrace.protocol.redis.internal.RedisProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays {@code bench/datasets/polyglot-c8} (Java, Python, nginx, Node.js and redis on loopback, 8 concurrent
 * clients, captured live with eBPF; see bench/datasets/README.md) in-process through HTTP/1 and Redis parsing and
 * each correlator, with its visible request ids and with them redacted. It checks that span construction finds every
 * span of the ground truth, holds each correlator's end-to-end accuracy to the figure measured when the dataset was
 * recorded (a point or so below it), and that the shared scorer agrees with the figure computed here.
 */
class PolyglotAccuracyTest {
    static final Path DATASETS = Path.of("datasets");
    static final String DATASET = "polyglot-c8";
    static final Map<String, List<Span>> SPANS = new HashMap<>();
    static Map<String, String> truth;

    @BeforeAll
    static void readTruth() throws IOException {
        truth = truth(DATASETS.resolve(DATASET + ".truth.jsonl.gz"));
    }

    @ParameterizedTest(name = "{0} {1}: every true span is built")
    @CsvSource({"visible, fifo", "blind, deeptrace"})
    void everyTrueSpanIsBuilt(String variant, String correlator) throws Exception {
        Set<String> built = new HashSet<>();
        for (Span s : spans(variant, correlator)) {
            built.add(CorrelationAccuracyTest.key(s.tgid(), s.local(), s.remote(), s.startNs()));
        }
        Set<String> missing = new HashSet<>(truth.keySet());
        missing.removeAll(built);
        assertEquals(Set.of(), missing, "true spans the pipeline did not build");
    }

    /**
     * Measured on c8: fifo 0.0025 (both variants, so no floor here: the baseline test below covers it), delay 0.2880
     * (both), deeptrace 1.0000 visible and 1.0000 blind (0.8416 before the thread, event-loop order, read-triggered
     * and certain-call features of session 2, 0.9249 after them). Blind, at the concurrency and beyond:
     * c32 0.9978 (0.2265, then 0.7470), c128 0.9783 (0.4266) — since read-triggered call edges are judged per
     * (endpoint, call) and a parent's extra call of a kind is priced as the learned counts would price it.
     */
    @ParameterizedTest(name = "{0} {1} {2}: e2e >= {3}")
    @CsvSource({
        "polyglot-c8,   visible, delay,     0.27",
        "polyglot-c8,   visible, deeptrace, 0.99",
        "polyglot-c8,   blind,   delay,     0.27",
        "polyglot-c8,   blind,   deeptrace, 0.99",
        "polyglot-c32,  visible, deeptrace, 0.99",
        "polyglot-c32,  blind,   deeptrace, 0.99",
        "polyglot-c128, blind,   deeptrace, 0.96",
    })
    void endToEndAccuracyHolds(String dataset, String variant, String correlator, double minimum) throws Exception {
        Map<String, String> datasetTruth = dataset.equals(DATASET) ? truth
                : truth(DATASETS.resolve(dataset + ".truth.jsonl.gz"));
        double e2e = CorrelationAccuracyTest.endToEnd(datasetTruth, spans(dataset, variant, correlator));
        System.out.printf("%s %s %s: e2e %.4f%n", dataset, variant, correlator, e2e);
        assertTrue(e2e >= minimum, dataset + " " + variant + " " + correlator + ": e2e " + e2e + " < " + minimum);
    }

    @ParameterizedTest(name = "{0}: deeptrace beats fifo and delay")
    @CsvSource({"visible", "blind"})
    void deeptraceBeatsTheBaselines(String variant) throws Exception {
        double deeptrace = CorrelationAccuracyTest.endToEnd(truth, spans(variant, "deeptrace"));
        double fifo = CorrelationAccuracyTest.endToEnd(truth, spans(variant, "fifo"));
        double delay = CorrelationAccuracyTest.endToEnd(truth, spans(variant, "delay"));
        assertTrue(deeptrace > fifo && deeptrace > delay,
                variant + ": deeptrace " + deeptrace + ", fifo " + fifo + ", delay " + delay);
    }

    /** The shared scorer reads the spans as the CLI writes them and reports the e2e computed here. */
    @Test
    void sharedScorerAgrees(@TempDir Path tmp) throws Exception {
        Path scorer = CorrelationAccuracyTest.DATASETS.resolveSibling("tools").resolve("score-correlation");
        assertTrue(Files.isRegularFile(scorer), "shared scorer missing: " + scorer);
        List<Span> spans = spans("blind", "deeptrace");
        Path truthFile = tmp.resolve("truth.jsonl");
        try (BufferedReader in = gunzip(DATASETS.resolve(DATASET + ".truth.jsonl.gz"))) {
            Files.write(truthFile, in.lines().toList());
        }
        Path spanFile = tmp.resolve("spans.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(spanFile)) {
            for (Span s : spans) {
                w.write(RecordJson.span(s));
                w.write('\n');
            }
        }
        Process p = new ProcessBuilder("python3", scorer.toString(), truthFile.toString(), spanFile.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "scorer did not finish");
        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("e2e=([0-9.]+) pair_min=([0-9.]+) service_min=([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(CorrelationAccuracyTest.endToEnd(truth, spans), Double.parseDouble(m.group(1)), 1e-4, out);
        // every span matches a true one; redis-server's pipelined commands share a key, so the scorer's coverage
        // is below 1 (see bench/datasets/README.md) and everyTrueSpanIsBuilt checks the distinct keys instead
        assertTrue(out.contains("project unmatched 0, duplicates"), out);
    }

    static List<Span> spans(String variant, String correlator) throws Exception {
        return spans(DATASET, variant, correlator);
    }

    /** The pipeline's spans of a dataset's visible or blind capture (HTTP/1 and Redis), cached per run. */
    static synchronized List<Span> spans(String dataset, String variant, String correlator) throws Exception {
        String key = dataset + "/" + variant + "/" + correlator;
        List<Span> cached = SPANS.get(key);
        if (cached != null) {
            return cached;
        }
        Path capture = DATASETS.resolve(dataset + (variant.equals("blind") ? "-blind" : "") + ".capture.jsonl.gz");
        assertTrue(Files.isRegularFile(capture), "dataset missing: " + capture);
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(capture, new CaptureInput.ReadOptions(false), records::add);
        Correlator c = CorrelationAccuracyTest.CORRELATORS.get(correlator).get();
        PipelineSettings settings = PipelineSettings.defaults("test");
        List<Span> out = new ArrayList<>();
        Pipeline p = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol(), new RedisProtocol())), () -> c,
                settings, new Counters(), MessageOutput.NONE, out::addAll);
        for (CaptureRecord r : records) {
            p.accept(settings.host(), r);
        }
        p.finish();
        SPANS.put(key, out);
        return out;
    }

    /** True trace id by (tgid, local, remote, start_ns), from the gzip truth file. */
    static Map<String, String> truth(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> out = new HashMap<>();
        try (BufferedReader in = gunzip(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode t = json.readTree(line);
                out.put(CorrelationAccuracyTest.key(t.get("tgid").asInt(), t.get("local").asText(),
                        t.get("remote").asText(), t.get("start_ns").asLong()),
                        t.get("trace").isNull() ? null : t.get("trace").asText());
            }
        }
        return out;
    }

    static BufferedReader gunzip(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8));
    }
}
