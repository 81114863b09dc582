package org.deeptrace.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class TraceAnalysisTest {
    static final String T1 = "0123456789abcdef0123456789abcdef";
    static final String T2 = "fedcba9876543210fedcba9876543210";

    static Span span(String id, String parent, String trace, SpanKind kind, String comm, String endpoint, long start,
            long end, ResponseStatus status) {
        return new Span(id, parent, trace, kind, "h1", comm.length(), 1, comm, "HTTP1", Transport.TCP,
                "10.0.0.1:80", kind == SpanKind.CLIENT ? "10.0.0.2:8080" : "10.0.0.9:5000", start, end, 10, 20,
                endpoint, "GET", endpoint, status, status == ResponseStatus.OK ? 200 : 500, null, null, null);
    }

    /** frontend serves /home, calls backend /api (which fails), and an untraced peer. */
    static List<Span> trace1() {
        return List.of(
                span("0000000000000001", null, T1, SpanKind.SERVER, "frontend", "/home", 1_000, 9_000_000, ResponseStatus.OK),
                span("0000000000000002", "0000000000000001", T1, SpanKind.CLIENT, "frontend", "/api", 2_000, 5_000_000, ResponseStatus.SERVER_ERROR),
                span("0000000000000003", "0000000000000002", T1, SpanKind.SERVER, "backend", "/api", 3_000, 4_000_000, ResponseStatus.SERVER_ERROR),
                span("0000000000000004", "0000000000000001", T1, SpanKind.CLIENT, "frontend", "/db", 6_000, 7_000_000, ResponseStatus.OK));
    }

    @Test
    void summaryNamesTheRootAndEveryService() {
        TraceSummary s = TraceAnalysis.summarize(T1, trace1());
        assertEquals("frontend", s.rootService());
        assertEquals("/home", s.rootEndpoint());
        assertEquals(List.of("backend", "frontend"), s.services());
        assertEquals(4, s.spanCount());
        assertEquals(1_000, s.startNs());
        assertEquals(9_000_000 - 1_000, s.durationNs());
        assertTrue(s.error());
    }

    @Test
    void treeNestsChildrenAndMakesOrphansRoots() {
        List<Span> spans = new java.util.ArrayList<>(trace1());
        spans.add(span("0000000000000009", "00000000000000ff", T1, SpanKind.SERVER, "late", "/x", 500, 600, ResponseStatus.OK));
        List<SpanNode> roots = TraceAnalysis.tree(spans);
        assertEquals(2, roots.size());
        assertEquals("0000000000000009", roots.get(0).span().spanId(), "the orphan starts first");
        SpanNode root = roots.get(1);
        assertEquals(List.of("0000000000000002", "0000000000000004"),
                root.children().stream().map(n -> n.span().spanId()).toList());
        assertEquals("backend", root.children().get(0).children().get(0).span().comm());
    }

    @Test
    void aParentCycleIsCutOnce() {
        List<Span> spans = List.of(
                span("000000000000000a", "000000000000000b", T1, SpanKind.SERVER, "a", "/a", 1, 10, ResponseStatus.OK),
                span("000000000000000b", "000000000000000a", T1, SpanKind.CLIENT, "a", "/b", 2, 5, ResponseStatus.OK));
        List<SpanNode> roots = TraceAnalysis.tree(spans);
        assertEquals(1, roots.size());
        assertEquals("000000000000000a", roots.get(0).span().spanId());
        assertEquals(1, roots.get(0).children().size());
    }

    @Test
    void traceSearchMatchesOneSpanOnEveryCriterion() {
        List<Span> spans = new java.util.ArrayList<>(trace1());
        spans.add(span("0000000000000010", null, T2, SpanKind.SERVER, "frontend", "/home", 20_000_000, 21_000_000, ResponseStatus.OK));
        List<TraceSummary> all = TraceAnalysis.traces(spans, TraceQuery.latest(10));
        assertEquals(List.of(T2, T1), all.stream().map(TraceSummary::traceId).toList(), "newest first");

        TraceQuery slowBackend = new TraceQuery("backend", "/api", "http1", ResponseStatus.SERVER_ERROR, 3_000_000,
                Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of("kind", "server"), 10);
        assertEquals(List.of(T1), TraceAnalysis.traces(spans, slowBackend).stream().map(TraceSummary::traceId).toList());

        TraceQuery tooSlow = new TraceQuery("backend", null, null, null, 5_000_000, Long.MAX_VALUE, 0, Long.MAX_VALUE,
                Map.of(), 10);
        assertTrue(TraceAnalysis.traces(spans, tooSlow).isEmpty());

        TraceQuery byAlias = new TraceQuery(null, null, null, null, 0, Long.MAX_VALUE, 10_000_000, Long.MAX_VALUE,
                Map.of("service", "frontend"), 10);
        assertEquals(Map.of("comm", "frontend"), byAlias.tags());
        assertEquals(List.of(T2), TraceAnalysis.traces(spans, byAlias).stream().map(TraceSummary::traceId).toList());
        assertEquals(1, TraceAnalysis.traces(spans, TraceQuery.latest(1)).size());
    }

    @Test
    void badQueriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TraceQuery(null, null, null, null, 5, 4, 0, 1, Map.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> new TraceQuery(null, null, null, null, 0, 4, 2, 1, Map.of(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new TraceQuery(null, null, null, null, 0, 4, 0, 1, Map.of("colour", "red"), 1));
    }

    @Test
    void dependenciesLinkCallersToTracedCalleesOrTheirAddress() {
        List<DependencyLink> links = TraceAnalysis.dependencies(trace1(), 0, Long.MAX_VALUE);
        assertEquals(2, links.size(), links.toString());
        assertEquals("10.0.0.2:8080", links.get(0).child(), "sorted by parent, then child");
        DependencyLink api = links.get(1);
        assertEquals("frontend", api.parent());
        assertEquals("backend", api.child());
        assertEquals(1, api.calls());
        assertEquals(1.0, api.errorRate());
        assertEquals(4_998_000, api.p50Ns(), 4_998_000 * 0.05);
        DependencyLink db = links.get(0);
        assertEquals(0.0, db.errorRate());

        List<DependencyLink> windowed = TraceAnalysis.dependencies(trace1(), 1, 2_000_000_001L);
        assertEquals(0.5, windowed.get(1).callsPerSecond(), 1e-9);
    }

    @Test
    void endpointLatencyGroupsByEndpointAndKind() {
        List<EndpointLatency> fe = TraceAnalysis.endpointLatency(trace1(), "frontend", 0, Long.MAX_VALUE);
        assertEquals(List.of("/api", "/db", "/home"), fe.stream().map(EndpointLatency::endpoint).toList());
        assertEquals(SpanKind.CLIENT, fe.get(0).kind());
        assertEquals(1, fe.get(0).errors());
        assertEquals(1, fe.get(2).histogram().count());
        assertFalse(TraceAnalysis.endpointLatency(trace1(), "backend", 0, 1).size() > 0);
    }
}
