package org.deeptrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays the shared dataset in-process and checks trace assembly end to end: every HTTP span carries a trace id,
 * and the spans of one true request (three processes: A's server span, A's calls to B and C, their server spans)
 * carry one trace id that no other request shares, for nearly every request. Thresholds sit a little under the
 * figures measured when trace assembly was written (rps100: deeptrace 0.9965 at both windows, fifo 0.8056;
 * rps100-blind: deeptrace 0.9063, delay 0.8993); the rest is what the correlator got wrong, since the cross-process
 * links themselves are checked to be exact.
 */
class TraceAssemblyAccuracyTest {

    @ParameterizedTest(name = "{0} {1} window {2} ms grace {3} ms: whole traces >= {4}")
    @CsvSource({
        "rps100,       deeptrace, 5000, 5000, 0.99",
        "rps100,       deeptrace,   50,   20, 0.99",
        "rps100,       fifo,      5000, 5000, 0.79",
        "rps100-blind, deeptrace, 5000, 5000, 0.89",
        "rps100-blind, delay,     5000, 5000, 0.88",
    })
    void requestsBecomeOneTraceEach(String dataset, String correlator, long windowMs, long graceMs, double minimum)
            throws Exception {
        Path capture = CorrelationAccuracyTest.DATASETS.resolve(dataset + ".capture.jsonl");
        assertTrue(Files.isRegularFile(capture), "shared dataset missing: " + capture);
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(capture, new CaptureInput.ReadOptions(false), records::add);
        PipelineSettings d = PipelineSettings.defaults("test");
        PipelineSettings settings = new PipelineSettings(d.host(), windowMs * PipelineSettings.MS,
                graceMs * PipelineSettings.MS, d.reorderNs(), d.idleNs(), d.minConfidence());
        List<Span> spans = CorrelationBench.run(records,
                CorrelationAccuracyTest.CORRELATORS.get(correlator).get(), settings);
        Map<String, String> truth = CorrelationAccuracyTest.truth(
                CorrelationAccuracyTest.DATASETS.resolve(dataset + ".truth.jsonl"));

        Set<String> ids = new HashSet<>();
        for (Span s : spans) {
            assertTrue(ids.add(s.spanId()), "span emitted twice: " + s.spanId());
            assertNotNull(s.traceId(), s.protocol() + " span without a trace id: " + s.spanId());
            assertTrue(s.traceId().matches("[0-9a-f]{32}"), s.traceId());
        }
        // the cross-process links are exact, whatever the correlator: every server span whose true client span was
        // captured gets it as parent, and no server span gets another
        Map<String, Span> byId = new HashMap<>();
        Set<String> clientEnds = new HashSet<>();
        for (Span s : spans) {
            byId.put(s.spanId(), s);
            if (s.kind() == SpanKind.CLIENT) {
                clientEnds.add(s.remote() + "|" + s.local() + "|" + CorrelationAccuracyTest.trace(truth, s));
            }
        }
        int reachable = 0;
        for (Span s : spans) {
            String end = s.local() + "|" + s.remote() + "|" + CorrelationAccuracyTest.trace(truth, s);
            if (s.kind() == SpanKind.SERVER && clientEnds.contains(end)) {
                reachable++;
            }
        }
        int linked = 0;
        for (Span s : spans) {
            if (s.kind() == SpanKind.SERVER && s.parentSpanId() != null) {
                linked++;
                Span client = byId.get(s.parentSpanId());
                assertNotNull(client, "link to a span not emitted: " + s.spanId());
                assertEquals(CorrelationAccuracyTest.trace(truth, s), CorrelationAccuracyTest.trace(truth, client),
                        "server span " + s.spanId() + " linked to another request's client span");
            }
        }
        assertTrue(reachable > 0);
        assertEquals(reachable, linked, "server spans whose true client was captured vs server spans linked");

        double whole = wholeTraces(truth, spans);
        System.out.printf("%s %s window %d ms grace %d ms: %d links, whole traces %.4f%n", dataset, correlator,
                windowMs, graceMs, linked, whole);
        assertTrue(whole >= minimum, dataset + " " + correlator + ": " + whole + " < " + minimum);

        List<Span> again = CorrelationBench.run(records, CorrelationAccuracyTest.CORRELATORS.get(correlator).get(),
                settings);
        assertEquals(traceIds(spans), traceIds(again), "a replay gives the same trace ids");
    }

    /** Fraction of true requests whose spans all carry one trace id that no other request's span carries. */
    static double wholeTraces(Map<String, String> truth, List<Span> spans) {
        Map<String, Set<String>> assignedByRequest = new HashMap<>();
        Map<String, Set<String>> requestsByAssigned = new HashMap<>();
        for (Span s : spans) {
            String request = CorrelationAccuracyTest.trace(truth, s);
            if (request == null) {
                continue; // DNS, or a span the truth does not know
            }
            assignedByRequest.computeIfAbsent(request, k -> new HashSet<>()).add(s.traceId());
            requestsByAssigned.computeIfAbsent(s.traceId(), k -> new HashSet<>()).add(request);
        }
        int whole = 0;
        for (Set<String> assigned : assignedByRequest.values()) {
            if (assigned.size() == 1 && requestsByAssigned.get(assigned.iterator().next()).size() == 1) {
                whole++;
            }
        }
        return assignedByRequest.isEmpty() ? 0 : whole / (double) assignedByRequest.size();
    }

    private static Map<String, String> traceIds(List<Span> spans) {
        Map<String, String> out = new HashMap<>();
        spans.forEach(s -> out.put(s.spanId(), s.traceId()));
        return out;
    }
}
