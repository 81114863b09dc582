package org.deeptrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Map<String, String> truth = truth();

        List<Span> spans = CorrelationBench.run(skewed, r -> hostOfProcess.get(r.tgid()),
                CorrelationAccuracyTest.CORRELATORS.get("deeptrace").get(), PipelineSettings.defaults("server"));
        List<Span> timeOnly = CorrelationBench.run(skewedWithoutSeq, r -> hostOfProcess.get(r.tgid()),
                CorrelationAccuracyTest.CORRELATORS.get("deeptrace").get(), PipelineSettings.defaults("server"));
        double whole = TraceAssemblyAccuracyTest.wholeTraces(truth, spans);
        double wholeByTime = TraceAssemblyAccuracyTest.wholeTraces(truth, timeOnly);
        System.out.printf("rps100 as 3 hosts, backends' clocks 40 ms behind: whole traces %.4f with sequence numbers,"
                + " %.4f by time alone%n", whole, wholeByTime);
        assertTrue(whole >= 0.99, "whole traces with sequence numbers " + whole);
        assertTrue(wholeByTime < 0.1, "by time alone the skew breaks the links: " + wholeByTime);
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

    private static Map<String, String> truth() throws Exception {
        return CorrelationAccuracyTest.truth(CorrelationAccuracyTest.DATASETS.resolve("rps100.truth.jsonl"));
    }
}
