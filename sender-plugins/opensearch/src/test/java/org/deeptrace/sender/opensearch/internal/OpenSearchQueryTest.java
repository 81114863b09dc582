package org.deeptrace.sender.opensearch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.LatencyHistogram;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.correlator.fifo.internal.FifoCorrelator;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.MessageOutput;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.deeptrace.sender.opensearch.internal.query.ClusterSpanStore;
import org.deeptrace.store.memory.internal.MemorySpanStore;
import org.deeptrace.testkit.opensearch.OpenSearchNode;
import org.deeptrace.testkit.spans.VariedTraces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenSearch query backend against one real OpenSearch 2.19.6 node: spans go in through the sender, and every
 * query method answers exactly what the in-memory store (span-store-memory, the reference) answers for the same
 * spans — on the shared rps100 capture replayed through the pipeline (HTTP/1, FIFO, trace assembly; skipped when
 * the team's shared/ directory is absent) and on varied synthetic traces (several services, errors, spans without
 * an endpoint, untraced callees). Prints query latency against the node.
 */
class OpenSearchQueryTest {
    static final Path CAPTURE = Path.of(System.getProperty("deeptrace.shared", "../../../shared"), "datasets",
            "rps100.capture.jsonl");

    private static Path dir;
    private static OpenSearchNode node;
    private static Dataset rps100;
    private static Dataset varied;

    /** Spans held both by the reference store and by the cluster (under their own index prefix). */
    record Dataset(String name, List<Span> spans, MemorySpanStore memory, ClusterSpanStore cluster) {
    }

    @BeforeAll
    static void startNodeAndIndex() throws Exception {
        dir = Files.createTempDirectory("deeptrace-opensearch-query");
        node = OpenSearchNode.single(dir);
        varied = index("qvar-", "varied", new VariedTraces(42, 1).traces(1500, 1_000_000_000L));
        if (Files.isRegularFile(CAPTURE)) {
            rps100 = index("qrps-", "rps100", replay(CAPTURE));
        }
    }

    @AfterAll
    static void stopNode() throws Exception {
        for (Dataset d : new Dataset[] {varied, rps100}) {
            if (d != null) {
                d.cluster().close();
            }
        }
        if (node != null) {
            node.close();
        }
    }

    /** The capture through the pipeline as the agent runs it: HTTP/1 parsing, FIFO correlation, trace assembly. */
    static List<Span> replay(Path capture) throws Exception {
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(capture, new CaptureInput.ReadOptions(false), records::add);
        List<Span> out = new ArrayList<>();
        FifoCorrelator fifo = new FifoCorrelator();
        Pipeline p = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol())), () -> fifo,
                PipelineSettings.defaults("rps100"), new Counters(), MessageOutput.NONE, out::addAll);
        records.forEach(p::accept);
        p.finish();
        return out;
    }

    private static Dataset index(String prefix, String name, List<Span> spans) throws Exception {
        Map<String, Object> config = Cluster.config(node.url(), prefix, dir.resolve("spool-" + name));
        Shipper shipper = Cluster.start(config);
        try {
            for (int i = 0; i < spans.size(); i += 256) {
                shipper.add(spans.subList(i, Math.min(spans.size(), i + 256)));
            }
            shipper.flush();
        } finally {
            shipper.close();
        }
        long got = Cluster.awaitCount(spans.size(), 60_000, () -> {
            node.request("POST", "/" + prefix + "*/_refresh", null);
            return Cluster.count(node.request("GET", "/" + prefix + "*/_count", null));
        });
        assertEquals(spans.size(), got, node.logTail());
        MemorySpanStore memory = new MemorySpanStore();
        memory.send(spans);
        config.put("query_enabled", "true");
        config.put("timeout_ms", "60000"); // queries on a loaded 2-core machine may take seconds
        return new Dataset(name, spans, memory, ClusterSpanStore.of(SenderSettings.from(config)));
    }

    private static List<Dataset> datasets() {
        List<Dataset> out = new ArrayList<>(List.of(varied));
        if (rps100 != null) {
            out.add(rps100);
        } else {
            System.out.println("OpenSearchQueryTest: " + CAPTURE.toAbsolutePath().normalize()
                    + " missing (the team's shared/ beside the repository): rps100 checks skipped");
        }
        return out;
    }

    @Test
    void theClusterHoldsEverySpanAsSent() {
        for (Dataset d : datasets()) {
            assertEquals(d.spans().size(), d.cluster().size(), d.name());
            Span any = d.spans().get(d.spans().size() / 2);
            List<Span> trace = d.cluster().trace(any.traceId());
            assertTrue(trace.contains(any), d.name() + ": " + any + " not in " + trace);
        }
    }

    @Test
    void traceSearchAnswersAsTheMemoryStore() {
        for (Dataset d : datasets()) {
            List<TraceQuery> queries = queries(d.spans());
            int answered = 0;
            for (TraceQuery q : queries) {
                List<TraceSummary> expected = d.memory().traces(q);
                assertEquals(expected, d.cluster().traces(q), d.name() + ": " + q);
                answered += expected.isEmpty() ? 0 : 1;
            }
            // the mix must mostly find something, or agreeing proves little
            assertTrue(answered >= queries.size() * 2 / 3, d.name() + ": only " + answered + " of " + queries.size()
                    + " queries found traces");
            System.out.printf(Locale.ROOT, "%s: %d trace searches agree (%d with traces)%n", d.name(), queries.size(),
                    answered);
        }
    }

    @Test
    void tracesRankByTheirStartNotByTheirNewestMatchingSpan() throws Exception {
        // A starts first but its matching span is the newest; B starts later with an older matching span: the newest
        // trace by start (TraceAnalysis's rule) is B, though a search by newest matching span meets A first.
        long t = 5_000_000_000L;
        List<Span> four = List.of(span("a0", null, "a", SpanKind.SERVER, "/root", t, t + 10_000),
                span("a1", "a0", "a", SpanKind.CLIENT, "/leaf", t + 5_000, t + 6_000),
                span("b0", null, "b", SpanKind.SERVER, "/root", t + 2_000, t + 9_000),
                span("b1", "b0", "b", SpanKind.CLIENT, "/leaf", t + 3_000, t + 4_000));
        Dataset d = index("qrank-", "ranking", four);
        try {
            TraceQuery one = query(null, "/leaf", null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 1);
            assertEquals(List.of("b".repeat(32)), d.memory().traces(one).stream().map(TraceSummary::traceId).toList());
            assertEquals(d.memory().traces(one), d.cluster().traces(one));
            TraceQuery two = query(null, "/leaf", null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 2);
            assertEquals(d.memory().traces(two), d.cluster().traces(two));
        } finally {
            d.cluster().close();
        }
    }

    private static Span span(String id, String parent, String trace, SpanKind kind, String endpoint, long start,
            long end) {
        return new Span("f0000000000000" + id, parent == null ? null : "f0000000000000" + parent, trace.repeat(32),
                kind, "node-1", 300, 301, "ranker", "HTTP1", Transport.TCP, "10.0.0.7:1", "10.0.0.8:2", start, end, 1, 1,
                endpoint, "GET", endpoint, ResponseStatus.OK, 200, null, null, null);
    }

    @Test
    void traceByIdAnswersAsTheMemoryStore() {
        for (Dataset d : datasets()) {
            TreeSet<String> ids = traceIds(d.spans());
            assertTrue(ids.size() > 50, d.name() + ": " + ids.size() + " traces");
            for (String id : ids) {
                assertEquals(inStartOrder(d.memory().trace(id)), d.cluster().trace(id), d.name() + ": trace " + id);
            }
            assertEquals(List.of(), d.cluster().trace("00000000000000000000000000000000"));
        }
    }

    @Test
    void spanSearchAnswersAsTheMemoryStore() {
        for (Dataset d : datasets()) {
            Span sample = d.spans().get(0);
            List<SpanQuery> queries = List.of(SpanQuery.latest(1), SpanQuery.latest(50), SpanQuery.latest(100_000),
                    new SpanQuery(sample.protocol().toLowerCase(Locale.ROOT), null, 0, 30),
                    new SpanQuery(null, sample.endpoint(), 0, 30), new SpanQuery(null, null, sample.tgid(), 30),
                    new SpanQuery(sample.protocol(), sample.endpoint(), sample.tgid(), 1000),
                    new SpanQuery("nope", null, 0, 10), SpanQuery.latest(0));
            for (SpanQuery q : queries) {
                List<Span> expected = d.memory().find(q);
                List<Span> actual = d.cluster().find(q);
                assertEquals(Math.min(expected.size(), 10_000), actual.size(), d.name() + ": " + q);
                assertEquals(expected.subList(0, actual.size()), actual, d.name() + ": " + q);
            }
        }
    }

    @Test
    void dependenciesAndEndpointLatencyAnswerAsTheMemoryStore() {
        for (Dataset d : datasets()) {
            long t0 = d.spans().stream().mapToLong(Span::startNs).min().orElseThrow();
            long t1 = d.spans().stream().mapToLong(Span::startNs).max().orElseThrow();
            long[][] ranges = {{0, Long.MAX_VALUE}, {t0, t1}, {t0 + (t1 - t0) / 3, t0 + 2 * (t1 - t0) / 3},
                {t1 + 1, Long.MAX_VALUE}};
            for (long[] r : ranges) {
                var expected = d.memory().dependencies(r[0], r[1]);
                assertEquals(expected, d.cluster().dependencies(r[0], r[1]), d.name() + ": " + Arrays.toString(r));
                if (r[0] == 0) {
                    assertTrue(!expected.isEmpty(), d.name() + ": no dependencies to compare");
                }
                for (String service : services(d.spans())) {
                    assertLatencyEquals(d.memory().endpointLatency(service, r[0], r[1]),
                            d.cluster().endpointLatency(service, r[0], r[1]));
                }
            }
            assertEquals(List.of(), d.cluster().endpointLatency("no-such-service", 0, Long.MAX_VALUE));
        }
    }

    @Test
    void queryLatencyAgainstTheNode() {
        for (Dataset d : datasets()) {
            List<TraceQuery> queries = queries(d.spans());
            long[] search = new long[queries.size() * 5];
            for (int i = 0; i < search.length; i++) {
                TraceQuery q = queries.get(i % queries.size());
                long s = System.nanoTime();
                d.cluster().traces(q);
                search[i] = System.nanoTime() - s;
            }
            List<String> ids = new ArrayList<>(traceIds(d.spans()));
            long[] byId = new long[ids.size() * 2];
            for (int i = 0; i < byId.length; i++) {
                long s = System.nanoTime();
                d.cluster().trace(ids.get(i % ids.size()));
                byId[i] = System.nanoTime() - s;
            }
            System.out.printf(Locale.ROOT, "%s on OpenSearch (%d spans, %d traces): trace search (%d queries) p50 %.2f ms"
                    + " p99 %.2f ms; trace by id (%d lookups) p50 %.2f ms p99 %.2f ms%n", d.name(), d.spans().size(),
                    ids.size(), search.length, pct(search, 0.5), pct(search, 0.99), byId.length, pct(byId, 0.5),
                    pct(byId, 0.99));
            assertTrue(pct(byId, 0.5) < 1000, "trace by id took seconds");
        }
    }

    @Test
    void anUnreachableClusterAnswersWithAClearError() throws Exception {
        Map<String, Object> config = Cluster.config("http://127.0.0.1:1", "qvar-", dir.resolve("spool-none"));
        config.put("timeout_ms", "2000");
        try (ClusterSpanStore down = ClusterSpanStore.of(SenderSettings.from(config))) {
            List<Runnable> calls = List.of(() -> down.traces(TraceQuery.latest(10)), () -> down.trace("ab"),
                    down::size, () -> down.find(SpanQuery.latest(5)), () -> down.dependencies(0, Long.MAX_VALUE),
                    () -> down.endpointLatency("frontend", 0, Long.MAX_VALUE));
            for (Runnable call : calls) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
                assertTrue(e.getMessage().contains("http://127.0.0.1:1") && e.getMessage().contains("unreachable"),
                        e.getMessage());
            }
        }
        // the store over the live node is not disturbed
        assertEquals(varied.spans().size(), varied.cluster().size());
    }

    /** Queries of every kind the API has, with values taken from the spans. */
    static List<TraceQuery> queries(List<Span> spans) {
        List<TraceQuery> q = new ArrayList<>();
        long t0 = spans.stream().mapToLong(Span::startNs).min().orElseThrow();
        long t1 = spans.stream().mapToLong(Span::startNs).max().orElseThrow();
        long third = (t1 - t0) / 3;
        long[] durations = spans.stream().mapToLong(Span::durationNs).sorted().toArray();
        long p25 = durations[durations.length / 4];
        long p50 = durations[durations.length / 2];
        long p75 = durations[durations.length * 3 / 4];
        Span client = spans.stream().filter(s -> s.kind() == SpanKind.CLIENT).findFirst().orElseThrow();
        Span server = spans.stream().filter(s -> s.kind() == SpanKind.SERVER && s.endpoint() != null).findFirst()
                .orElseThrow();
        q.add(TraceQuery.latest(1));
        q.add(TraceQuery.latest(20));
        q.add(TraceQuery.latest(1000));
        for (String service : services(spans)) {
            q.add(query(service, null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 20));
        }
        spans.stream().map(Span::endpoint).filter(Objects::nonNull).distinct().sorted().limit(6)
                .forEach(e -> q.add(query(null, e, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 20)));
        spans.stream().map(s -> s.protocol().toLowerCase(Locale.ROOT)).distinct().sorted()
                .forEach(p -> q.add(query(null, null, p, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 30)));
        for (ResponseStatus status : ResponseStatus.values()) {
            q.add(query(null, null, null, status, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 20));
        }
        q.add(query(null, null, null, null, p50, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 20));
        q.add(query(null, null, null, null, 0, p50, 0, Long.MAX_VALUE, Map.of(), 20));
        q.add(query(null, null, null, null, p25, p75, 0, Long.MAX_VALUE, Map.of(), 50));
        q.add(query(null, null, null, null, 0, Long.MAX_VALUE, t0 + third, t0 + 2 * third, Map.of(), 50));
        q.add(query(null, null, null, null, 0, Long.MAX_VALUE, t0, t0 + third / 4, Map.of(), 1000));
        q.add(query(null, null, null, null, 0, Long.MAX_VALUE, t0 + third, t0 + third, Map.of(), 10));
        q.add(tags(Map.of("tgid", Integer.toString(server.tgid())), 20));
        q.add(tags(Map.of("tgid", "0" + server.tgid()), 20)); // not how the record writes it: matches nothing
        q.add(tags(Map.of("kind", "client"), 20));
        q.add(tags(Map.of("peer", client.remote()), 20));
        q.add(tags(Map.of("host", server.host(), "response_code", "200"), 20));
        q.add(tags(Map.of("response_code", "200.0"), 20));
        q.add(tags(Map.of("request_type", server.requestType(), "endpoint", server.endpoint()), 5));
        q.add(query(server.comm(), server.endpoint(), server.protocol().toUpperCase(Locale.ROOT),
                server.responseStatus(), p25, Long.MAX_VALUE, t0 + third, t1, Map.of("kind", "server",
                        "tgid", Integer.toString(server.tgid())), 10));
        q.add(query("no-such-service", null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 20));
        return q;
    }

    private static TraceQuery query(String service, String endpoint, String protocol, ResponseStatus status,
            long minNs, long maxNs, long startNs, long endNs, Map<String, String> tags, int limit) {
        return new TraceQuery(service, endpoint, protocol, status, minNs, maxNs, startNs, endNs, tags, limit);
    }

    private static TraceQuery tags(Map<String, String> tags, int limit) {
        return query(null, null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, tags, limit);
    }

    static TreeSet<String> services(List<Span> spans) {
        TreeSet<String> out = new TreeSet<>();
        spans.stream().map(Span::comm).filter(Objects::nonNull).forEach(out::add);
        return out;
    }

    static TreeSet<String> traceIds(List<Span> spans) {
        TreeSet<String> out = new TreeSet<>();
        spans.stream().map(Span::traceId).filter(Objects::nonNull).forEach(out::add);
        return out;
    }

    /** The memory store orders a trace by start alone; the indexed stores break ties by span id. */
    static List<Span> inStartOrder(List<Span> spans) {
        List<Span> out = new ArrayList<>(spans);
        out.sort(Comparator.comparingLong(Span::startNs).thenComparing(Span::spanId));
        return out;
    }

    static void assertLatencyEquals(List<EndpointLatency> expected, List<EndpointLatency> actual) {
        Function<EndpointLatency, String> key = e -> e.service() + " " + e.endpoint() + " " + e.kind().wireName()
                + " errors=" + e.errors() + " " + histogram(e.histogram());
        assertEquals(expected.stream().map(key).toList(), actual.stream().map(key).toList());
    }

    private static String histogram(LatencyHistogram h) {
        StringBuilder sb = new StringBuilder().append(h.count()).append('/').append(h.minNs()).append('/')
                .append(h.maxNs()).append('/').append(h.meanNs()).append(':');
        for (int i = 0; i < LatencyHistogram.BINS; i++) {
            if (h.count(i) > 0) {
                sb.append(i).append('=').append(h.count(i)).append(',');
            }
        }
        return sb.toString();
    }

    private static double pct(long[] ns, double q) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
