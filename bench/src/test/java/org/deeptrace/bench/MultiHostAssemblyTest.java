package org.deeptrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.junit.jupiter.api.Test;

/**
 * The shared dataset's three services ran in three containers (192.168.0.2, .3, .4). Replayed as three hosts'
 * captures — each service's records tagged with its own host, as per-host capture files are — the spans keep their
 * hosts, every server span still finds the client span on the other host that reached it, and the requests
 * assemble into as many whole traces as on one host.
 */
class MultiHostAssemblyTest {

    @Test
    void tracesCrossHosts() throws Exception {
        List<CaptureRecord> records = records();
        Map<Integer, String> hostOfProcess = hosts(records);
        Map<String, String> truth = truth();

        List<Span> spans = CorrelationBench.run(records, r -> hostOfProcess.get(r.tgid()),
                CorrelationAccuracyTest.CORRELATORS.get("deeptrace").get(), PipelineSettings.defaults("server"));

        Map<String, Span> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.spanId(), s));
        int crossHostLinks = 0;
        for (Span s : spans) {
            assertEquals(hostOfProcess.get(s.tgid()), s.host(), "a span keeps the host its records came from");
            if (s.kind() == SpanKind.SERVER && s.parentSpanId() != null) {
                Span client = byId.get(s.parentSpanId());
                assertNotNull(client);
                assertEquals(CorrelationAccuracyTest.trace(truth, s), CorrelationAccuracyTest.trace(truth, client));
                if (!client.host().equals(s.host())) {
                    crossHostLinks++;
                }
            }
        }
        assertTrue(crossHostLinks >= 574, "server spans of B and C linked to A's calls across hosts: " + crossHostLinks);

        Map<String, Set<String>> hostsByTrace = new HashMap<>();
        for (Span s : spans) {
            if (CorrelationAccuracyTest.trace(truth, s) != null) {
                hostsByTrace.computeIfAbsent(s.traceId(), k -> new HashSet<>()).add(s.host());
            }
        }
        long spanningAllHosts = hostsByTrace.values().stream().filter(h -> h.size() == 3).count();
        double whole = TraceAssemblyAccuracyTest.wholeTraces(truth, spans);
        System.out.printf("rps100 as 3 hosts: %d cross-host links, %d traces over all 3 hosts, whole traces %.4f%n",
                crossHostLinks, spanningAllHosts, whole);
        assertTrue(whole >= 0.99, "whole traces " + whole);
        assertTrue(spanningAllHosts >= 280, "traces over all three hosts: " + spanningAllHosts);
    }

    /**
     * Real hosts' clocks disagree. With the backends' clocks 40 ms behind the front's, no server span starts inside
     * the client exchange that reached it any more; the TCP sequence numbers both ends captured still link them.
     * Without sequence numbers the same skew leaves the traces broken — which is what they are there for.
     */
    @Test
    void sequenceNumbersLinkHostsWhoseClocksDisagree() throws Exception {
        List<CaptureRecord> records = records();
        Map<Integer, String> hostOfProcess = hosts(records);
        int front = records.stream().filter(r -> r.local().startsWith("192.168.0.4")).findFirst().orElseThrow().tgid();
        long skewNs = -40_000_000L;
        List<CaptureRecord> skewed = records.stream().map(r -> r.tgid() == front ? r : shifted(r, skewNs, true)).toList();
        List<CaptureRecord> skewedWithoutSeq = records.stream()
                .map(r -> r.tgid() == front ? shifted(r, 0, false) : shifted(r, skewNs, false)).toList();
        Map<String, String> truth = skewedTruth(front, skewNs);

        List<Span> spans = CorrelationBench.run(skewed, r -> hostOfProcess.get(r.tgid()),
                CorrelationAccuracyTest.CORRELATORS.get("deeptrace").get(), PipelineSettings.defaults("server"));
        List<Span> timeOnly = CorrelationBench.run(skewedWithoutSeq, r -> hostOfProcess.get(r.tgid()),
                CorrelationAccuracyTest.CORRELATORS.get("deeptrace").get(), PipelineSettings.defaults("server"));
        double whole = TraceAssemblyAccuracyTest.wholeTraces(truth, spans);
        int[] bySeq = links(truth, spans);
        int[] byTime = links(truth, timeOnly);
        System.out.printf("rps100 as 3 hosts, backends' clocks 40 ms behind: with sequence numbers %d right and %d"
                + " wrong cross-host links, whole traces %.4f; by time alone %d right, %d wrong%n",
                bySeq[0], bySeq[1], whole, byTime[0], byTime[1]);
        assertEquals(574, bySeq[0], "every backend server span linked to the call that reached it");
        assertEquals(0, bySeq[1], "no wrong link");
        assertTrue(whole >= 0.99, "whole traces with sequence numbers " + whole);
        assertTrue(byTime[0] < 574 / 2, "by time alone the skew breaks most links: " + byTime[0]);
    }

    /** Server spans linked to a client span of the same true request, and to one of another request. */
    private static int[] links(Map<String, String> truth, List<Span> spans) {
        Map<String, Span> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.spanId(), s));
        int right = 0;
        int wrong = 0;
        for (Span s : spans) {
            Span parent = s.parentSpanId() == null ? null : byId.get(s.parentSpanId());
            if (s.kind() == SpanKind.SERVER && parent != null && !parent.host().equals(s.host())) {
                boolean same = Objects.equals(CorrelationAccuracyTest.trace(truth, s),
                        CorrelationAccuracyTest.trace(truth, parent));
                right += same ? 1 : 0;
                wrong += same ? 0 : 1;
            }
        }
        return new int[] {right, wrong};
    }

    private static CaptureRecord shifted(CaptureRecord r, long byNs, boolean keepSeq) {
        return new CaptureRecord(r.tsNs() + byNs, r.enterNs() == CaptureRecord.ABSENT ? r.enterNs() : r.enterNs() + byNs,
                r.tgid(), r.tid(), r.comm(), r.fd(), r.syscall(), r.direction(), r.l4(), r.local(), r.remote(),
                keepSeq ? r.tcpSeq() : CaptureRecord.ABSENT, r.size(), r.payload(), r.truncated());
    }

    private static List<CaptureRecord> records() throws Exception {
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(CorrelationAccuracyTest.DATASETS.resolve("rps100.capture.jsonl"),
                new CaptureInput.ReadOptions(false), records::add);
        return records;
    }

    /** Each service its own host, named in order of appearance. */
    private static Map<Integer, String> hosts(List<CaptureRecord> records) {
        Map<Integer, String> hostOfProcess = new HashMap<>();
        for (CaptureRecord r : records) {
            hostOfProcess.putIfAbsent(r.tgid(), "host-" + (hostOfProcess.size() + 1));
        }
        assertEquals(3, hostOfProcess.size(), "three services in the dataset");
        return hostOfProcess;
    }

    /** The truth with the backends' spans starting as their skewed clocks say. */
    private static Map<String, String> skewedTruth(int front, long skewNs) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(
                CorrelationAccuracyTest.DATASETS.resolve("rps100.truth.jsonl"))) {
            ObjectNode t = (ObjectNode) json.readTree(line);
            if (t.get("tgid").asInt() != front) {
                t.put("start_ns", t.get("start_ns").asLong() + skewNs);
            }
            lines.add(json.writeValueAsString(t));
        }
        Path file = Files.createTempFile("rps100-skewed", ".truth.jsonl");
        try {
            Files.write(file, lines);
            return CorrelationAccuracyTest.truth(file);
        } finally {
            Files.delete(file);
        }
    }

    private static Map<String, String> truth() throws Exception {
        return CorrelationAccuracyTest.truth(CorrelationAccuracyTest.DATASETS.resolve("rps100.truth.jsonl"));
    }
}
