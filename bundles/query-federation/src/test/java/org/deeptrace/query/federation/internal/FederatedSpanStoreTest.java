package org.deeptrace.query.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three agents behind real HTTP: a front on 10.0.0.1 calls orders on 10.0.0.2, which calls redis on 10.0.0.3.
 * Each agent assembled only its own spans, so the backends' server spans are local roots with local trace ids.
 */
class FederatedSpanStoreTest {
    private static final String TA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
    private static final String TB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb1";
    private static final String TC = "ccccccccccccccccccccccccccccccc1";
    private static final String TA2 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2";
    private static final String TB2 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
    private static final String TB3 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb3";

    private final List<TestAgent> agents = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(3);
    private FederatedSpanStore store;

    static Span span(String id, String parent, String trace, SpanKind kind, String host, String comm, String local,
            String remote, long start, long end, ResponseStatus status) {
        return new Span(id, parent, trace, kind, host, 100, 101, comm, "HTTP1", Transport.TCP, local, remote, start,
                end, 10, 20, "/" + comm, "GET", "/" + comm, status, 200, null, null, null);
    }

    static final Span SA = span("a000000000000001", null, TA, SpanKind.SERVER, "a", "front", "10.0.0.1:80",
            "10.0.0.100:5000", 1_000_000_000L, 1_050_000_000L, ResponseStatus.OK);
    static final Span CA = span("a000000000000002", SA.spanId(), TA, SpanKind.CLIENT, "a", "front", "10.0.0.1:40000",
            "10.0.0.2:8080", 1_010_000_000L, 1_040_000_000L, ResponseStatus.OK);
    static final Span SB = span("b000000000000001", null, TB, SpanKind.SERVER, "b", "orders", "10.0.0.2:8080",
            "10.0.0.1:40000", 1_010_020_000L, 1_039_980_000L, ResponseStatus.OK);
    static final Span CB = span("b000000000000002", SB.spanId(), TB, SpanKind.CLIENT, "b", "orders",
            "10.0.0.2:41000", "10.0.0.3:6379", 1_015_000_000L, 1_016_000_000L, ResponseStatus.SERVER_ERROR);
    static final Span SC = span("c000000000000001", null, TC, SpanKind.SERVER, "c", "redis", "10.0.0.3:6379",
            "10.0.0.2:41000", 1_015_010_000L, 1_015_990_000L, ResponseStatus.SERVER_ERROR);
    // The next request on the same keep-alive connection: must not be confused with the first.
    static final Span SA2 = span("a000000000000003", null, TA2, SpanKind.SERVER, "a", "front", "10.0.0.1:80",
            "10.0.0.100:5001", 2_000_000_000L, 2_050_000_000L, ResponseStatus.OK);
    static final Span CA2 = span("a000000000000004", SA2.spanId(), TA2, SpanKind.CLIENT, "a", "front",
            "10.0.0.1:40000", "10.0.0.2:8080", 2_010_000_000L, 2_040_000_000L, ResponseStatus.OK);
    static final Span SB2 = span("b000000000000003", null, TB2, SpanKind.SERVER, "b", "orders", "10.0.0.2:8080",
            "10.0.0.1:40000", 2_010_020_000L, 2_039_980_000L, ResponseStatus.OK);
    // Called from a host without an agent.
    static final Span SB3 = span("b000000000000004", null, TB3, SpanKind.SERVER, "b", "orders", "10.0.0.2:8080",
            "10.0.0.9:7000", 3_000_000_000L, 3_001_000_000L, ResponseStatus.OK);

    /** What one pipeline seeing all three hosts assembles. */
    static List<Span> assembledByOnePipeline() {
        return List.of(SA, CA, SB.withParent(CA.spanId(), null).withTraceId(TA), CB.withTraceId(TA),
                SC.withParent(CB.spanId(), null).withTraceId(TA), SA2, CA2,
                SB2.withParent(CA2.spanId(), null).withTraceId(TA2), SB3);
    }

    @BeforeEach
    void start() throws Exception {
        agents.add(new TestAgent(List.of(SA, CA, SA2, CA2)));
        agents.add(new TestAgent(List.of(SB, CB, SB2, SB3)));
        agents.add(new TestAgent(List.of(SC)));
        store = store(agents.get(0).uri(), agents.get(1).uri(), agents.get(2).uri());
    }

    private FederatedSpanStore store(URI... uris) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<AgentClient> clients = new ArrayList<>();
        for (int i = 0; i < uris.length; i++) {
            clients.add(new AgentClient("agent-" + (char) ('a' + i), uris[i], http, Duration.ofSeconds(5)));
        }
        return new FederatedSpanStore(clients, executor, 60_000_000_000L, 16);
    }

    @AfterEach
    void stop() {
        agents.forEach(TestAgent::close);
        executor.shutdownNow();
    }

    @Test
    void traceByIdIsAssembledAcrossTheThreeHosts() {
        List<Span> trace = store.trace(TA);
        List<Span> expected = assembledByOnePipeline().stream().filter(s -> TA.equals(s.traceId())).toList();
        assertEquals(expected, trace);
        assertEquals(TraceAnalysis.tree(expected), TraceAnalysis.tree(trace));
        assertEquals(List.of(), store.trace(TB), "a backend's local trace id is no trace across hosts");
        assertEquals(5, assembledByOnePipeline().stream().filter(s -> TA.equals(s.traceId())).count());
    }

    @Test
    void searchMatchesOnAnyHostAndSummarisesTheWholeTrace() {
        TraceQuery redis = new TraceQuery("redis", null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(),
                20);
        assertEquals(TraceAnalysis.traces(assembledByOnePipeline(), redis), store.traces(redis));
        var summary = store.traces(redis).get(0);
        assertEquals(TA, summary.traceId());
        assertEquals("front", summary.rootService());
        assertEquals(5, summary.spanCount());
        assertTrue(summary.error());
        for (TraceQuery q : List.of(TraceQuery.latest(20), TraceQuery.latest(2),
                new TraceQuery("orders", null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), 20),
                new TraceQuery(null, null, null, ResponseStatus.SERVER_ERROR, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE,
                        Map.of(), 20),
                new TraceQuery(null, null, null, null, 29_000_000L, Long.MAX_VALUE, 1_500_000_000L, Long.MAX_VALUE,
                        Map.of(), 20),
                new TraceQuery("redis", null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE,
                        Map.of("trace_id", TA), 20),
                new TraceQuery(null, null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE,
                        Map.of("trace_id", TB), 20))) {
            assertEquals(TraceAnalysis.traces(assembledByOnePipeline(), q), store.traces(q), q.toString());
        }
    }

    @Test
    void onlyTheSpansOfTheAnswerTravelAndOwnersAreLearnt() {
        TraceQuery redis = new TraceQuery("redis", null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(),
                20);
        store.traces(redis);
        long firstRequests = requests();
        long firstSpans = spans();
        assertEquals(5, firstSpans, "the trace's five spans, nothing else");
        store.traces(redis);
        long secondRequests = requests() - firstRequests;
        assertTrue(secondRequests < firstRequests, "the second time the owners of the addresses are known: "
                + secondRequests + " requests, the first time " + firstRequests);
        assertEquals(10, spans());
        assertTrue(store.bytes() > 0);
        assertEquals(2, store.queries());
    }

    private long requests() {
        return store.agents().stream().mapToLong(a -> a.traffic().requests()).sum();
    }

    private long spans() {
        return store.agents().stream().mapToLong(a -> a.traffic().spansReceived()).sum();
    }

    @Test
    void anAgentThatIsDownLeavesTheOthersAnswering() {
        agents.get(2).close();
        List<Span> trace = store.trace(TA);
        assertEquals(4, trace.size(), "redis's span is missing, the rest is there");
        assertTrue(store.agents().get(2).traffic().failures() > 0);
    }

    @Test
    void mergedAnswersOfTheOtherMethods() {
        List<Span> all = new ArrayList<>(assembledByOnePipeline());
        assertEquals(9, store.size());
        for (String service : List.of("front", "orders", "redis")) {
            List<EndpointLatency> expected = TraceAnalysis.endpointLatency(all, service, 0, Long.MAX_VALUE);
            List<EndpointLatency> merged = store.endpointLatency(service, 0, Long.MAX_VALUE);
            assertEquals(expected.size(), merged.size(), expected + " vs " + merged);
            for (int i = 0; i < expected.size(); i++) {
                var e = expected.get(i).histogram();
                var m = merged.get(i).histogram();
                assertEquals(expected.get(i).endpoint(), merged.get(i).endpoint());
                assertEquals(e.count(), m.count());
                assertEquals(e.minNs(), m.minNs());
                assertEquals(e.maxNs(), m.maxNs());
                assertEquals(e.percentileNs(0.5), m.percentileNs(0.5));
                assertEquals(e.percentileNs(0.99), m.percentileNs(0.99));
                assertTrue(Math.abs(e.meanNs() - m.meanNs()) <= 1, e.meanNs() + " vs " + m.meanNs());
                assertEquals(expected.get(i).errors(), merged.get(i).errors());
            }
        }
        assertEquals(TraceAnalysis.dependencies(all, 0, Long.MAX_VALUE), store.dependencies(0, Long.MAX_VALUE),
                "front→orders twice, orders→redis once, callees named by their processes");
        assertEquals(TraceAnalysis.dependencies(all, 1_000_000_000L, 1_999_999_999L),
                store.dependencies(1_000_000_000L, 1_999_999_999L));
        assertEquals(4, store.find(org.deeptrace.api.store.SpanQuery.latest(4)).size());
    }
}
