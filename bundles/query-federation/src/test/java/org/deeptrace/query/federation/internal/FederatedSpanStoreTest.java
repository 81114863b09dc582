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
import org.deeptrace.rest.internal.AgentHttpServer;
import org.deeptrace.rest.internal.ListSpanStore;
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

    private final List<AgentHttpServer> agents = new ArrayList<>();
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

    /** An agent holding these spans (each agent assembled only its own). */
    private static AgentHttpServer agent(List<Span> spans) throws java.io.IOException {
        return new AgentHttpServer(new ListSpanStore(spans));
    }

    @BeforeEach
    void start() throws Exception {
        agents.add(agent(List.of(SA, CA, SA2, CA2)));
        agents.add(agent(List.of(SB, CB, SB2, SB3)));
        agents.add(agent(List.of(SC)));
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
        agents.forEach(AgentHttpServer::close);
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
    void countersSayWhatEachAgentMoved() {
        store.trace(TA);
        Map<String, Long> c = store.storeCounters();
        assertEquals(1, c.get("federation.queries"));
        long rounds = c.get("federation.rounds");
        assertTrue(rounds >= 2, "the root's agent, then the callees: " + c);
        assertEquals(rounds, c.get("federation.rounds_max"));
        assertEquals(5, c.get("federation.spans_received"), "the trace's five spans: " + c);
        assertEquals(store.bytes(), c.get("federation.bytes"));
        long requests = 0;
        for (AgentClient a : store.agents()) {
            String p = "federation.agent." + a.name() + ".";
            assertEquals(a.traffic().requests(), c.get(p + "requests"));
            assertEquals(a.traffic().bytesSent(), c.get(p + "bytes_sent"));
            assertEquals(a.traffic().bytesReceived(), c.get(p + "bytes_received"));
            assertEquals(0, c.get(p + "failures"));
            assertEquals(0, c.get(p + "timeouts"));
            requests += c.get(p + "requests");
        }
        assertEquals(requests(), requests);
        assertEquals(2, c.get("federation.agent.agent-a.spans_received"), "front's server and client span");
        assertEquals(1, c.get("federation.agent.agent-c.spans_received"), "redis's server span");
        // Span records compress well: the bodies decompressed are larger than what crossed the wire.
        long body = c.get("federation.agent.agent-a.bytes_received_uncompressed");
        assertTrue(body > 0, c.toString());
        store.traces(TraceQuery.latest(20));
        assertEquals(2, store.storeCounters().get("federation.queries"));
        assertTrue(store.storeCounters().get("federation.rounds") > rounds, store.storeCounters().toString());
    }

    @Test
    void anAgentThatDoesNotAnswerInTimeCountsATimeout() throws Exception {
        // Accepts the connection, never answers.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            FederatedSpanStore s = new FederatedSpanStore(List.of(new AgentClient("a", agents.get(0).uri(), http,
                    Duration.ofSeconds(5)), new AgentClient("silent", URI.create("http://127.0.0.1:"
                            + silent.getLocalPort()), http, Duration.ofMillis(300))), executor, 60_000_000_000L, 16);
            List<Span> trace = s.trace(TA2);
            assertEquals(2, trace.size(), "front's spans; the silent agent is left out");
            Map<String, Long> c = s.storeCounters();
            assertTrue(c.get("federation.agent.silent.timeouts") >= 1, c.toString());
            assertEquals(c.get("federation.agent.silent.timeouts"), c.get("federation.agent.silent.failures"));
            assertEquals(0, c.get("federation.agent.silent.spans_received"));
            assertEquals(0, c.get("federation.agent.a.failures"));
        }
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
    /**
     * A deep trace's fragment on an agent starts after a shallow local trace there, while its root (on another
     * host) started before: the agent ranks the deep fragment first, the answer ranks the shallow trace first. With
     * limit 1 the agent's page holds only the deep fragment; the server must ask for the next page.
     */
    @Test
    void aShallowTraceRankedBelowADeepFragmentByItsAgentIsStillFound() throws Exception {
        String shallowTrace = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb5";
        // Called from a host without an agent at 1.005 s: after TA's root (1.000 s), before TA reached orders.
        Span shallow = span("b000000000000005", null, shallowTrace, SpanKind.SERVER, "b", "orders", "10.0.0.2:8080",
                "10.0.0.9:7001", 1_005_000_000L, 1_006_000_000L, ResponseStatus.OK);
        AgentHttpServer a = agent(List.of(SA, CA, SA2, CA2));
        agents.add(a);
        AgentHttpServer b = agent(List.of(SB, CB, SB2, SB3, shallow));
        agents.add(b);
        AgentHttpServer c = agent(List.of(SC));
        agents.add(c);
        FederatedSpanStore federated = store(a.uri(), b.uri(), c.uri());
        List<Span> all = new ArrayList<>(assembledByOnePipeline());
        all.add(shallow);
        TraceQuery ordersBefore2s = new TraceQuery("orders", null, null, null, 0, Long.MAX_VALUE, 0, 1_999_999_999L,
                Map.of(), 1);
        assertEquals(shallowTrace, TraceAnalysis.traces(all, ordersBefore2s).get(0).traceId());
        assertEquals(TraceAnalysis.traces(all, ordersBefore2s), federated.traces(ordersBefore2s));
        for (int limit = 1; limit <= 5; limit++) {
            for (TraceQuery q : List.of(TraceQuery.latest(limit), new TraceQuery("orders", null, null, null, 0,
                    Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), limit), new TraceQuery(null, null, null, null, 0,
                            Long.MAX_VALUE, 0, 2_500_000_000L, Map.of(), limit))) {
                assertEquals(TraceAnalysis.traces(all, q), federated.traces(q), q.toString());
            }
        }
    }

    @Test
    void theNextRequestOnAKeepAliveConnectionDoesNotJoinThePreviousTrace() throws Exception {
        // One connection 10.0.0.1:40002 -> orders, two requests 50 us apart; the second one's server span starts
        // within the link tolerance after the first exchange ended, and its own client span is not in the answer
        // of a search that ends before it.
        String t1 = "ddddddddddddddddddddddddddddddd1";
        String t2 = "ddddddddddddddddddddddddddddddd2";
        Span root1 = span("d000000000000001", null, t1, SpanKind.SERVER, "a", "front", "10.0.0.1:80",
                "10.0.0.100:6000", 5_000_000_000L, 5_045_000_000L, ResponseStatus.OK);
        Span call1 = span("d000000000000002", root1.spanId(), t1, SpanKind.CLIENT, "a", "front", "10.0.0.1:40002",
                "10.0.0.2:8080", 5_010_000_000L, 5_040_000_000L, ResponseStatus.OK);
        Span root2 = span("d000000000000003", null, t2, SpanKind.SERVER, "a", "front", "10.0.0.1:80",
                "10.0.0.100:6001", 5_040_010_000L, 5_080_000_000L, ResponseStatus.OK);
        Span call2 = span("d000000000000004", root2.spanId(), t2, SpanKind.CLIENT, "a", "front", "10.0.0.1:40002",
                "10.0.0.2:8080", 5_040_050_000L, 5_070_000_000L, ResponseStatus.OK);
        Span served1 = span("e000000000000001", null, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee1", SpanKind.SERVER, "b",
                "orders", "10.0.0.2:8080", "10.0.0.1:40002", 5_010_020_000L, 5_039_980_000L, ResponseStatus.OK);
        Span served2 = span("e000000000000002", null, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee2", SpanKind.SERVER, "b",
                "orders", "10.0.0.2:8080", "10.0.0.1:40002", 5_040_070_000L, 5_069_980_000L, ResponseStatus.OK);
        AgentHttpServer a = agent(List.of(root1, call1, root2, call2));
        agents.add(a);
        AgentHttpServer b = agent(List.of(served1, served2));
        agents.add(b);
        FederatedSpanStore federated = store(a.uri(), b.uri());
        List<Span> all = List.of(root1, call1, served1.withParent(call1.spanId(), null).withTraceId(t1), root2, call2,
                served2.withParent(call2.spanId(), null).withTraceId(t2));
        TraceQuery beforeTheSecond = new TraceQuery(null, null, null, null, 0, Long.MAX_VALUE, 4_900_000_000L,
                5_040_000_000L, Map.of(), 10);
        assertEquals(3, TraceAnalysis.traces(all, beforeTheSecond).get(0).spanCount());
        assertEquals(TraceAnalysis.traces(all, beforeTheSecond), federated.traces(beforeTheSecond));
        assertEquals(all.subList(0, 3), federated.trace(t1));
    }
}
