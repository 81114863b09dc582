package org.deeptrace.store.lucene.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.sender.SendResult;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.deeptrace.testkit.spans.VariedTraces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store over a real Lucene index in a temporary directory, checked against {@link TraceAnalysis} computing the
 * same answers from the same spans in memory: both must agree on every query.
 */
class LuceneSpanStoreTest {
    static final long T0 = 1_764_000_000_000_000_000L;

    @TempDir
    Path data;

    LuceneSpanStore store;
    List<Span> spans;

    @BeforeEach
    void fill() throws Exception {
        store = open(Map.of());
        spans = new VariedTraces(42).traces(400, T0);
        // Arrival in several batches, out of order: children before parents for a part of them.
        List<Span> shuffled = new ArrayList<>(spans);
        java.util.Collections.shuffle(shuffled, new java.util.Random(1));
        for (int i = 0; i < shuffled.size(); i += 97) {
            assertEquals(SendResult.SUCCESS, store.send(shuffled.subList(i, Math.min(shuffled.size(), i + 97))));
        }
        store.refreshAndCommit();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.deactivate();
        }
    }

    LuceneSpanStore open(Map<String, Object> config) throws Exception {
        LuceneSpanStore s = new LuceneSpanStore(data);
        s.activate(new HashMap<>(config));
        return s;
    }

    @Test
    void storesEverySpanUnderDataSpans() {
        assertEquals(spans.size(), store.size());
        assertTrue(Files.isDirectory(data.resolve("spans/index")));
        assertEquals("lucene", store.name());
    }

    @Test
    void aTraceComesBackWholeInStartOrder() {
        String id = spans.get(0).traceId();
        List<Span> expected = spans.stream().filter(s -> s.traceId().equals(id))
                .sorted(Comparator.comparingLong(Span::startNs).thenComparing(Span::spanId)).toList();
        assertEquals(expected, store.trace(id));
        assertEquals(List.of(), store.trace("0".repeat(32)));
    }

    @Test
    void traceSearchAgreesWithTheInMemoryAnswer() {
        List<TraceQuery> queries = List.of(
                TraceQuery.latest(10),
                TraceQuery.latest(1000),
                query("backend", null, null, null, 0, Map.of(), 20),
                query("frontend", "/cart", null, null, 0, Map.of(), 15),
                query(null, null, "redis", null, 0, Map.of(), 50),
                query(null, null, null, ResponseStatus.SERVER_ERROR, 0, Map.of(), 100),
                query("backend", "/api/home", "HTTP1", null, 10_000_000, Map.of("kind", "server"), 30),
                query(null, null, null, null, 0, Map.of("peer", "10.0.0.3:6379", "tgid", "100"), 40),
                new TraceQuery(null, null, null, null, 0, 5_000_000, T0 + 100_000_000L, T0 + 200_000_000L, Map.of(), 500));
        for (TraceQuery q : queries) {
            List<TraceSummary> expected = TraceAnalysis.traces(spans, q);
            assertEquals(expected, store.traces(q), q.toString());
        }
        assertFalse(TraceAnalysis.traces(spans, queries.get(5)).isEmpty(), "the data has errors to find");
        assertEquals(0, store.traces(query("nobody", null, null, null, 0, Map.of(), 10)).size());
    }

    static TraceQuery query(String service, String endpoint, String protocol, ResponseStatus status, long minNs,
            Map<String, String> tags, int limit) {
        return new TraceQuery(service, endpoint, protocol, status, minNs, Long.MAX_VALUE, 0, Long.MAX_VALUE, tags, limit);
    }

    @Test
    void spanSearchIsNewestFirst() {
        List<Span> expected = spans.stream().filter(s -> s.protocol().equals("Redis"))
                .sorted(Comparator.comparingLong(Span::startNs).reversed()).limit(25).toList();
        assertEquals(expected, store.find(new SpanQuery("REDIS", null, 0, 25)));
        assertEquals(spans.stream().filter(s -> s.tgid() == 200).count(), store.find(new SpanQuery(null, null, 200, 10_000)).size());
    }

    @Test
    void dependenciesAgreeWithTheInMemoryAnswer() {
        List<DependencyLink> links = store.dependencies(0, Long.MAX_VALUE);
        assertEquals(TraceAnalysis.dependencies(spans, 0, Long.MAX_VALUE), links);
        assertEquals(List.of("backend->10.0.0.3:6379/0", "frontend->10.0.0.3:6379/0", "frontend->backend/200"),
                links.stream().map(l -> l.parent() + "->" + l.child() + "/" + l.childPid()).toList());
        long windowStart = T0 + 50_000_000L;
        long windowEnd = T0 + 150_000_000L;
        assertEquals(TraceAnalysis.dependencies(spans, windowStart, windowEnd), store.dependencies(windowStart, windowEnd));
    }

    @Test
    void endpointLatencyIsKeptAsSpansArriveAndAgreesForRanges() {
        assertLatencyEquals(TraceAnalysis.endpointLatency(spans, "frontend", 0, Long.MAX_VALUE),
                store.endpointLatency("frontend", 0, Long.MAX_VALUE));
        long from = T0 + 100_000_000L;
        long to = T0 + 300_000_000L;
        assertLatencyEquals(TraceAnalysis.endpointLatency(spans, "backend", from, to),
                store.endpointLatency("backend", from, to));
        assertEquals(List.of(), store.endpointLatency("nobody", 0, Long.MAX_VALUE));
    }

    static void assertLatencyEquals(List<EndpointLatency> expected, List<EndpointLatency> actual) {
        assertEquals(expected.size(), actual.size());
        assertFalse(expected.isEmpty());
        for (int i = 0; i < expected.size(); i++) {
            EndpointLatency e = expected.get(i);
            EndpointLatency a = actual.get(i);
            assertEquals(e.endpoint() + "/" + e.kind(), a.endpoint() + "/" + a.kind());
            assertEquals(e.errors(), a.errors());
            assertEquals(e.histogram().count(), a.histogram().count());
            assertEquals(e.histogram().percentileNs(0.5), a.histogram().percentileNs(0.5));
            assertEquals(e.histogram().percentileNs(0.99), a.histogram().percentileNs(0.99));
        }
    }

    @Test
    void everythingSurvivesARestart() throws Exception {
        List<TraceSummary> before = store.traces(TraceQuery.latest(50));
        List<EndpointLatency> latency = store.endpointLatency("backend", 0, Long.MAX_VALUE);
        store.deactivate();
        store = open(Map.of());
        assertEquals(spans.size(), store.size());
        assertEquals(before, store.traces(TraceQuery.latest(50)));
        assertLatencyEquals(latency, store.endpointLatency("backend", 0, Long.MAX_VALUE));
    }

    @Test
    void lateSpansOfAStoredTraceJoinIt() throws Exception {
        String id = spans.get(0).traceId();
        int before = store.trace(id).size();
        Span late = new VariedTraces(99).trace(T0).get(0).withTraceId(id);
        store.send(List.of(late));
        store.refreshAndCommit();
        assertEquals(before + 1, store.trace(id).size());
        assertEquals(before + 1, store.traces(query(null, null, null, null, 0, Map.of("trace_id", id), 5)).get(0).spanCount());
    }

    @Test
    void receivedSpansAreSearchableWithinTheRefreshInterval() throws Exception {
        Span fresh = new VariedTraces(5).trace(T0 + 999_000_000_000L).get(0);
        store.send(List.of(fresh));
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (store.trace(fresh.traceId()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(fresh), store.trace(fresh.traceId()));
    }

    @Test
    void retentionByAgeDeletesSpansReceivedTooLongAgo() throws Exception {
        SpanIndex index = store.index();
        long old = System.currentTimeMillis() - 100L * 3600 * 1000;
        List<Span> stale = new VariedTraces(77).traces(20, T0 + 5_000_000_000L);
        index.add(stale, old);
        store.refreshAndCommit();
        assertEquals(spans.size() + stale.size(), store.size());
        store.enforceRetention(); // default 72 h
        assertEquals(spans.size(), store.size());
        assertEquals(List.of(), store.trace(stale.get(0).traceId()));
    }

    @Test
    void retentionBySizeDeletesTheOldestSpans() throws Exception {
        store.deactivate();
        store = open(Map.of("retention.max.mb", "1", "retention.hours", "0"));
        List<Span> more = new VariedTraces(3).traces(12_000, T0 + 10_000_000_000L);
        for (int i = 0; i < more.size(); i += 5_000) {
            store.send(more.subList(i, Math.min(more.size(), i + 5_000)));
        }
        store.refreshAndCommit();
        long bytes = store.index().liveBytes();
        assertTrue(bytes > 1024 * 1024, "the test must exceed the limit: " + bytes);
        store.enforceRetention();
        assertTrue(store.index().liveBytes() <= 1024 * 1024, "within the limit: " + store.index().liveBytes());
        long kept = store.size();
        assertTrue(kept > 0 && kept < spans.size() + more.size());
        // The newest spans are the ones kept.
        Span newest = more.stream().max(Comparator.comparingLong(Span::startNs)).orElseThrow();
        assertEquals(newest.spanId(), store.find(SpanQuery.latest(1)).get(0).spanId());
        assertTrue(store.trace(spans.get(0).traceId()).isEmpty(), "the oldest are gone");
        long counted = store.endpointLatency("frontend", 0, Long.MAX_VALUE).stream()
                .mapToLong(e -> e.histogram().count()).sum();
        assertEquals(store.find(new SpanQuery(null, null, 100, 100_000)).size(), counted,
                "histograms follow the deletions");
    }

    @Test
    void tracesRankByTheirStartNotByTheirNewestMatchingSpan() throws Exception {
        // A starts first but its matching span is the newest; B starts later with an older matching span. The newest
        // trace (by start, as TraceAnalysis ranks) is B.
        long t = T0 + 50_000_000_000L;
        Span aRoot = span("a0", null, "a", SpanKind.SERVER, "/root", t, t + 10_000);
        Span aCall = span("a1", "a0", "a", SpanKind.CLIENT, "/leaf", t + 5_000, t + 6_000);
        Span bRoot = span("b0", null, "b", SpanKind.SERVER, "/root", t + 2_000, t + 9_000);
        Span bCall = span("b1", "b0", "b", SpanKind.CLIENT, "/leaf", t + 3_000, t + 4_000);
        List<Span> four = List.of(aRoot, aCall, bRoot, bCall);
        store.send(four);
        store.refreshAndCommit();
        TraceQuery leaf = query(null, "/leaf", null, null, 0, Map.of(), 1);
        List<Span> all = new ArrayList<>(spans);
        all.addAll(four);
        assertEquals(List.of(trace("b")), TraceAnalysis.traces(all, leaf).stream().map(TraceSummary::traceId).toList());
        assertEquals(TraceAnalysis.traces(all, leaf), store.traces(leaf));
        TraceQuery both = query(null, "/leaf", null, null, 0, Map.of(), 2);
        assertEquals(TraceAnalysis.traces(all, both), store.traces(both));
    }

    private static String trace(String name) {
        return name.repeat(32);
    }

    private static Span span(String id, String parent, String trace, SpanKind kind, String endpoint, long start,
            long end) {
        return new Span("f" + "0".repeat(13) + id, parent == null ? null : "f" + "0".repeat(13) + parent, trace(trace),
                kind, "node-1", 300, 301, "ranker", "HTTP1", Transport.TCP, "10.0.0.7:1", "10.0.0.8:2", start, end, 1, 1,
                endpoint, "GET", endpoint, ResponseStatus.OK, 200, null, null, null);
    }

    @Test
    void aCaptureReplayedTwiceIsStoredOnce() throws Exception {
        // again after the spans are searchable and committed, in other batches
        for (int i = 0; i < spans.size(); i += 250) {
            assertEquals(SendResult.SUCCESS, store.send(spans.subList(i, Math.min(spans.size(), i + 250))));
        }
        store.refreshAndCommit();
        assertStoredOnce(spans);
        // again before a refresh made the first copies searchable, and twice within one batch
        List<Span> more = new VariedTraces(11).traces(30, T0 + 20_000_000_000L);
        store.send(more);
        List<Span> twice = new ArrayList<>(more);
        twice.addAll(more.subList(0, 10));
        store.send(twice);
        store.refreshAndCommit();
        List<Span> all = new ArrayList<>(spans);
        all.addAll(more);
        assertStoredOnce(all);
        // and after a restart: the ids come from the index on disk
        store.deactivate();
        store = open(Map.of());
        store.send(more.subList(5, 15));
        store.refreshAndCommit();
        assertStoredOnce(all);
    }

    @Test
    void theLastVersionOfASpanWins() throws Exception {
        Span first = spans.get(0);
        String otherTrace = spans.stream().map(Span::traceId).filter(t -> !t.equals(first.traceId())).findFirst()
                .orElseThrow();
        Span moved = first.withTraceId(otherTrace);
        store.send(List.of(moved));
        store.refreshAndCommit();
        assertEquals(spans.size(), store.size());
        assertFalse(store.trace(first.traceId()).contains(first));
        assertTrue(store.trace(otherTrace).contains(moved));
    }

    private void assertStoredOnce(List<Span> distinct) {
        assertEquals(distinct.size(), store.size());
        String id = distinct.get(distinct.size() - 1).traceId();
        assertEquals(distinct.stream().filter(s -> s.traceId().equals(id))
                .sorted(Comparator.comparingLong(Span::startNs).thenComparing(Span::spanId)).toList(), store.trace(id));
        assertEquals(TraceAnalysis.traces(distinct, TraceQuery.latest(1000)), store.traces(TraceQuery.latest(1000)));
        assertEquals(TraceAnalysis.dependencies(distinct, 0, Long.MAX_VALUE), store.dependencies(0, Long.MAX_VALUE));
        for (String service : List.of("frontend", "backend")) {
            // the histograms kept as spans arrive, and those read from the index for a range
            assertLatencyEquals(TraceAnalysis.endpointLatency(distinct, service, 0, Long.MAX_VALUE),
                    store.endpointLatency(service, 0, Long.MAX_VALUE));
            assertLatencyEquals(TraceAnalysis.endpointLatency(distinct, service, 1, Long.MAX_VALUE - 1),
                    store.endpointLatency(service, 1, Long.MAX_VALUE - 1));
        }
    }

    @Test
    void badValuesAreNamedWithFileKeyAndReason() {
        Map<String, Object> bad = Map.of("felix.fileinstall.filename", "file:/opt/dt/etc/org.deeptrace.store.lucene.cfg",
                "commit.interval.ms", "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoreSettings.from(bad, data));
        assertEquals("/opt/dt/etc/org.deeptrace.store.lucene.cfg: commit.interval.ms = 'soon' is not a whole number",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.from(Map.of("retention.hours", "-1"), data));
        assertEquals("configuration org.deeptrace.store.lucene: retention.hours = '-1' must not be negative", e.getMessage());
        StoreSettings defaults = StoreSettings.from(Map.of("path", "/var/lib/dt"), data);
        assertEquals(Path.of("/var/lib/dt"), defaults.path());
        assertEquals(5_000, defaults.commitIntervalMs());
        assertEquals(1024L * 1024 * 1024, defaults.retentionMaxBytes());
    }

    @Test
    void aBadModificationKeepsThePreviousValues() throws Exception {
        store.modified(new HashMap<>(Map.of("retention.hours", "forever")));
        assertEquals(spans.size(), store.size(), "still open and serving");
        store.modified(new HashMap<>(Map.of("path", "elsewhere")));
        assertEquals(0, store.size(), "a new path is a new, empty index");
        assertTrue(Files.isDirectory(data.resolve("elsewhere")));
    }
}
