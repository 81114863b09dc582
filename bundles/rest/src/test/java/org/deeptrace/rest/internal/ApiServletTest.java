package org.deeptrace.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceQuery;
import java.time.Instant;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The servlet in a real Jetty 9.4 (the engine under Pax Web 8 in Karaf 4.4.8), mapped to {@code /api/*} in the
 * root context as the whiteboard maps it, called over HTTP.
 */
class ApiServletTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Server server;
    private static ApiServlet servlet;
    private static URI base;
    private static HttpClient http;

    private FakeRuntime runtime;
    private FakeSpanStore store;

    @BeforeAll
    static void startJetty() throws Exception {
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        servlet = new ApiServlet();
        context.addServlet(new ServletHolder(servlet), "/api/*");
        server.setHandler(context);
        server.start();
        base = server.getURI().resolve("/");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        server.stop();
    }

    @BeforeEach
    void bindServices() {
        if (runtime != null) {
            servlet.unsetRuntime(runtime);
        }
        runtime = new FakeRuntime(new PipelineStatus("node-1", "fifo", true, List.of("ebpf", "files"),
                Map.of("records.in", 1200L, "drops.queue_full", 3L, "spans.out", 40L)));
        runtime.protocols = List.of(new PluginInfo("HTTP1", "org.deeptrace.protocol.http1", "0.1.0.SNAPSHOT", true));
        runtime.correlators = List.of(new PluginInfo("fifo", "org.deeptrace.correlator.fifo", "0.1.0", true),
                new PluginInfo("window", "org.example.window", "2.0.0", false));
        runtime.senders = List.of();
        store = new FakeSpanStore();
        store.spans.add(TestSpans.server());
        store.spans.add(TestSpans.client());
        servlet.setRuntime(runtime);
        servlet.setStore(store);
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertJsonUtf8(response);
        return JSON.readTree(response.body());
    }

    private static void assertJsonUtf8(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT)
                .replace(" ", "");
        assertEquals("application/json;charset=utf-8", type);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertError(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(Set.of("error", "status"), fieldNames(body));
        assertEquals(status, body.get("status").asInt());
        assertFalse(body.get("error").asText().isBlank());
    }

    @Test
    void statusIsThePipelineStatusWithSnakeCaseFields() throws Exception {
        HttpResponse<String> response = get("/api/status");

        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertEquals(Set.of("host", "correlator", "correlator_available", "sources", "counters"), fieldNames(body));
        assertEquals("node-1", body.get("host").asText());
        assertEquals("fifo", body.get("correlator").asText());
        assertTrue(body.get("correlator_available").asBoolean());
        assertEquals("[\"ebpf\",\"files\"]", body.get("sources").toString());
        assertEquals(1200, body.get("counters").get("records.in").asLong());
        // Sorted by name, so that two calls are easy to compare by eye and by diff.
        assertEquals(List.of("drops.queue_full", "records.in", "spans.out"),
                new ArrayList<>(List.copyOf(iterableToList(body.get("counters").fieldNames()))));
    }

    @Test
    void statusCarriesTheStoresOwnCountersUnderStore() throws Exception {
        store.counters = Map.of("federation.queries", 3L, "federation.agent.a.bytes_received", 1234L);

        JsonNode counters = json(get("/api/status")).get("counters");

        assertEquals(3, counters.get("store.federation.queries").asLong());
        assertEquals(1234, counters.get("store.federation.agent.a.bytes_received").asLong());
        assertEquals(1200, counters.get("records.in").asLong());
        assertEquals(List.of("drops.queue_full", "records.in", "spans.out", "store.federation.agent.a.bytes_received",
                "store.federation.queries"), iterableToList(counters.fieldNames()));
    }

    @Test
    void aStoreFailingToGiveItsCountersLeavesThemOut() throws Exception {
        SpanStore failing = new FakeSpanStore() {
            @Override
            public Map<String, Long> storeCounters() {
                throw new IllegalStateException("closed");
            }
        };
        PipelineStatus status = new PipelineStatus("h", "fifo", true, List.of(), Map.of("records.in", 1L));

        assertEquals(status, ApiRouter.withStoreCounters(status, failing));
        assertEquals(status, ApiRouter.withStoreCounters(status, null));
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    @Test
    void pluginListsHaveNameBundleVersionActive() throws Exception {
        JsonNode correlators = json(get("/api/correlators"));
        assertEquals(2, correlators.size());
        assertEquals(Set.of("name", "bundle", "version", "active"), fieldNames(correlators.get(0)));
        assertEquals("window", correlators.get(1).get("name").asText());
        assertEquals("org.example.window", correlators.get(1).get("bundle").asText());
        assertEquals("2.0.0", correlators.get(1).get("version").asText());
        assertFalse(correlators.get(1).get("active").asBoolean());

        JsonNode protocols = json(get("/api/protocols"));
        assertEquals("HTTP1", protocols.get(0).get("name").asText());
        assertTrue(protocols.get(0).get("active").asBoolean());

        HttpResponse<String> senders = get("/api/senders");
        assertEquals(200, senders.statusCode());
        assertEquals("[]", senders.body());
    }

    @Test
    void spansAreTheContractRecordsExactlyAsInSpanFiles() throws Exception {
        HttpResponse<String> response = get("/api/spans");

        assertEquals(200, response.statusCode());
        assertJsonUtf8(response);
        // Newest first; each element is byte for byte the line a spans file would hold.
        assertEquals("[" + RecordJson.span(TestSpans.client()) + "," + RecordJson.span(TestSpans.server()) + "]",
                response.body());
        JsonNode spans = JSON.readTree(response.body());
        assertEquals("café-api", spans.get(0).get("comm").asText());
        assertTrue(spans.get(1).has("parent_span_id"));
        assertTrue(spans.get(1).get("parent_span_id").isNull());
        assertEquals("fifo", spans.get(0).get("correlation").get("algorithm").asText());
        assertEquals(SpanQuery.latest(SpanQueryParams.DEFAULT_LIMIT), store.lastQuery);
    }

    @Test
    void spanQueryParametersReachTheStore() throws Exception {
        HttpResponse<String> response = get("/api/spans?limit=5&protocol=HTTP1&endpoint=%2Forders&pid=4242");

        assertEquals(200, response.statusCode());
        assertEquals(new SpanQuery("HTTP1", "/orders", 4242, 5), store.lastQuery);
        JsonNode spans = json(response);
        assertEquals(1, spans.size());
        assertEquals("00f067aa0ba902b7", spans.get(0).get("span_id").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=abc", "limit=-1", "limit=10001", "limit=99999999999999999999", "limit=1.5",
        "pid=x", "pid=-4"})
    void badSpanParametersAre400(String query) throws Exception {
        assertError(get("/api/spans?" + query), 400);
        assertNull(store.lastQuery, "the store must not be asked");
    }

    @Test
    void limitBoundsAreInclusive() throws Exception {
        assertEquals(200, get("/api/spans?limit=10000").statusCode());
        assertEquals(10000, store.lastQuery.limit());
        assertEquals("[]", get("/api/spans?limit=0").body());
    }

    @Test
    void traceReturnsItsSpansAsATree() throws Exception {
        HttpResponse<String> response = get("/api/traces/" + TestSpans.TRACE.toUpperCase(Locale.ROOT));

        assertEquals(200, response.statusCode());
        assertEquals(TestSpans.TRACE, store.lastTraceId);
        JsonNode trace = json(response);
        assertEquals(TestSpans.TRACE, trace.get("trace_id").asText());
        assertEquals(2, trace.get("span_count").asInt());
        JsonNode root = trace.get("roots").get(0);
        assertEquals(1, trace.get("roots").size());
        assertEquals("00f067aa0ba902b7", root.get("span_id").asText());
        assertEquals("server", root.get("kind").asText());
        JsonNode child = root.get("children").get(0);
        assertEquals("b7ad6b7169203331", child.get("span_id").asText());
        assertEquals(0, child.get("children").size());
    }

    @Test
    void orphansOfATraceAreRoots() throws Exception {
        store.spans.removeIf(s -> s.spanId().equals("00f067aa0ba902b7"));
        JsonNode trace = json(get("/api/traces/" + TestSpans.TRACE));
        assertEquals(1, trace.get("roots").size());
        assertEquals("b7ad6b7169203331", trace.get("roots").get(0).get("span_id").asText());
    }

    @Test
    void traceSearchPassesEveryFilterAndAnswersSummaries() throws Exception {
        HttpResponse<String> response = get("/api/traces?service=caf%C3%A9-api&endpoint=/orders&protocol=http1"
                + "&status=ok&minDurationMs=1.5&maxDurationMs=20&start=1000&end=2026-11-25T18:00:00Z"
                + "&tag=host:node-1&tag=peer:10.0.0.9:51000&limit=5");
        assertEquals(200, response.statusCode(), response.body());
        TraceQuery q = store.lastTraceQuery;
        assertEquals("café-api", q.service());
        assertEquals("/orders", q.endpoint());
        assertEquals(ResponseStatus.OK, q.status());
        assertEquals(1_500_000, q.minDurationNs());
        assertEquals(20_000_000, q.maxDurationNs());
        assertEquals(1_000_000_000L, q.startNs());
        assertEquals(Instant.parse("2026-11-25T18:00:00Z").toEpochMilli() * 1_000_000, q.endNs());
        assertEquals(Map.of("host", "node-1", "remote", "10.0.0.9:51000"), q.tags());
        assertEquals(5, q.limit());
        JsonNode traces = json(response);
        assertEquals(1, traces.size());
        JsonNode t = traces.get(0);
        assertEquals(TestSpans.TRACE, t.get("trace_id").asText());
        assertEquals("café-api", t.get("root_service").asText());
        assertEquals("/orders", t.get("root_endpoint").asText());
        assertEquals(2, t.get("span_count").asInt());
        assertEquals(12_500_000, t.get("duration_ns").asLong());
        assertTrue(t.get("error").asBoolean());
        assertEquals(TraceQueryParams.DEFAULT_LIMIT, json(get("/api/traces")).size() > 0 ? store.lastTraceQuery.limit() : -1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"minDurationMs=abc", "maxDurationMs=-1", "minDurationMs=5&maxDurationMs=1", "start=yesterday",
            "end=2026-13-01T00:00:00Z", "start=2000&end=1000", "tag=novalue", "tag=colour:red", "status=fine",
            "limit=100000"})
    void badTraceSearchParametersAre400NamingTheParameter(String query) throws Exception {
        HttpResponse<String> response = get("/api/traces?" + query);
        assertError(response, 400);
        String param = query.substring(0, query.indexOf('='));
        String message = json(response).get("error").asText();
        assertTrue(message.contains(param) || message.contains("end") || message.contains("tag"), message);
    }

    @Test
    void dependenciesAndLatencyAnswerFromTheStore() throws Exception {
        JsonNode deps = json(get("/api/dependencies?start=1000&end=1970-01-01T00:00:03Z"));
        assertEquals(1_000_000_000L, store.lastRange[0]);
        assertEquals(3_000_000_000L, store.lastRange[1]);
        assertEquals(1, deps.size());
        assertEquals("café-api", deps.get(0).get("parent").asText());
        assertEquals("10.0.0.2:6379", deps.get(0).get("child").asText());
        assertEquals(1, deps.get(0).get("calls").asLong());
        assertEquals(1.0, deps.get(0).get("error_rate").asDouble());
        assertEquals(0.5, deps.get(0).get("calls_per_second").asDouble(), 1e-9);

        JsonNode latency = json(get("/api/endpoints/caf%C3%A9-api/latency"));
        assertEquals(2, latency.size());
        JsonNode orders = latency.get(0);
        assertEquals("/orders", orders.get("endpoint").asText());
        assertEquals("server", orders.get("kind").asText());
        assertEquals(1, orders.get("count").asLong());
        assertEquals(12_500_000, orders.get("p50_ns").asLong());
        JsonNode bucket = orders.get("buckets").get(0);
        assertTrue(bucket.get("lower_ns").asLong() <= 12_500_000 && 12_500_000 < bucket.get("upper_ns").asLong());
        assertEquals(0, json(get("/api/endpoints/nobody/latency")).size());
        assertError(get("/api/dependencies?start=x"), 400);
        assertError(get("/api/endpoints/a/b/latency"), 404);
    }

    @Test
    void unknownTraceIs404AndMalformedTraceIdIs400() throws Exception {
        assertError(get("/api/traces/0123456789abcdef0123456789abcdef"), 404);
        assertError(get("/api/traces/not-a-trace"), 400);
        assertError(get("/api/traces/0123456789abcdef"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api/", "/api/nope", "/api/status/extra", "/api/traces/a/b",
        "/api/endpoints//latency", "/api/endpoints/x"})
    void unknownPathsAre404(String path) throws Exception {
        assertError(get(path), 404);
    }

    @Test
    void trailingSlashIsTolerated() throws Exception {
        assertEquals(200, get("/api/status/").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void writeMethodsAre405WithAllow(String method) throws Exception {
        HttpResponse<String> response = send(method, "/api/status");

        assertError(response, 405);
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void headAnswersHeadersWithoutBody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/api/status");

        assertEquals(200, response.statusCode());
        assertJsonUtf8(response);
        assertEquals("", response.body());
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        assertEquals(get("/api/status").body().getBytes(StandardCharsets.UTF_8).length, length);
    }

    @Test
    void missingRuntimeIs503ButSpansStillWork() throws Exception {
        servlet.unsetRuntime(runtime);

        for (String path : List.of("/api/status", "/api/protocols", "/api/correlators", "/api/senders")) {
            assertError(get(path), 503);
        }
        assertEquals(200, get("/api/spans").statusCode());
    }

    @Test
    void missingStoreIs503ButStatusStillWorks() throws Exception {
        servlet.unsetStore(store);

        assertError(get("/api/spans"), 503);
        assertError(get("/api/traces/" + TestSpans.TRACE), 503);
        assertEquals(200, get("/api/status").statusCode());
    }

    @Test
    void unbindingAReplacedServiceKeepsTheReplacement() throws Exception {
        FakeRuntime replacement = new FakeRuntime(new PipelineStatus("node-2", "fifo", false, List.of(), Map.of()));
        // Greedy dynamic references bind the new service before unbinding the old one.
        servlet.setRuntime(replacement);
        servlet.unsetRuntime(runtime);

        JsonNode body = json(get("/api/status"));
        assertEquals("node-2", body.get("host").asText());
        assertFalse(body.get("correlator_available").asBoolean());
        runtime = replacement;
    }

    @Test
    void failingServiceIs500WithJsonBody() throws Exception {
        store.failure = new IllegalStateException("store closed");

        HttpResponse<String> response = get("/api/spans");

        assertError(response, 500);
        assertTrue(json(response).get("error").asText().contains("store closed"));
    }

    @Nested
    class BadParameterMessages {
        @Test
        void sayWhichParameterAndWhy() throws Exception {
            JsonNode body = json(get("/api/spans?limit=ten"));
            assertEquals("limit must be an integer, not 'ten'", body.get("error").asText());
            body = json(get("/api/spans?limit=20000"));
            assertEquals("limit must be between 0 and 10000, not 20000", body.get("error").asText());
        }
    }
}
