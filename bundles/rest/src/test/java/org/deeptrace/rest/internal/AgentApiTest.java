package org.deeptrace.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

class AgentApiTest {
    private static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

    private final FakeSpanStore store = new FakeSpanStore();
    private final AgentApi api = new AgentApi(() -> store);

    /** A second local trace on a keep-alive connection: a server span reached from 10.0.0.7. */
    private static Span otherServer(long startNs) {
        return new Span("1111111111111111", null, OTHER_TRACE, SpanKind.SERVER, "node-1", 4242, 4243, "café-api",
                "HTTP1", Transport.TCP, "10.0.0.1:8080", "10.0.0.7:33000", startNs, startNs + 5_000_000, 10, 20,
                "/health", "GET", "/health", org.deeptrace.api.model.ResponseStatus.OK, 200, null, null, null);
    }

    private AgentApi.Answer get(String path, Map<String, String> params) {
        return api.handle("GET", path, params::get, n -> params.containsKey(n) ? new String[] {params.get(n)} : null,
                "", false);
    }

    private static String text(AgentApi.Answer a) {
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    @Test
    void tracesAnswerEverySpanOfTheMatchingLocalTraces() {
        store.spans.addAll(List.of(TestSpans.server(), TestSpans.client(), otherServer(2_000_000_000L)));
        AgentApi.Answer a = get("/traces", Map.of("protocol", "Redis"));
        assertEquals(200, a.status());
        assertEquals(RecordJson.span(TestSpans.server()) + "\n" + RecordJson.span(TestSpans.client()) + "\n", text(a),
                "the whole trace of the matching Redis span, in start order");
        assertEquals(3, text(get("/traces", Map.of("limit", "5"))).lines().count());
        assertEquals(1, text(get("/traces", Map.of("limit", "1"))).lines().count(), "limit counts traces");
    }

    @Test
    void searchFieldsLeaveOutWhatNoSearchNeeds() throws IOException {
        store.spans.addAll(List.of(TestSpans.server(), TestSpans.client()));
        AgentApi.Answer a = get("/traces", Map.of("fields", "search"));
        List<String> lines = text(a).lines().toList();
        assertEquals(2, lines.size());
        com.fasterxml.jackson.databind.JsonNode client = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(lines.get(1));
        assertEquals("b7ad6b7169203331", client.get("span_id").asText());
        assertEquals("00f067aa0ba902b7", client.get("parent_span_id").asText());
        assertEquals("10.0.0.2:6379", client.get("remote").asText());
        assertEquals("tcp", client.get("l4").asText());
        assertEquals("server_error", client.get("response_status").asText());
        assertEquals(1_003_000_000L, client.get("end_ns").asLong());
        for (String gone : List.of("tid", "req_size", "resp_size", "request_resource", "correlation",
                "response_code", "x_request_id")) {
            assertTrue(!client.has(gone), gone);
        }
        assertTrue(text(a).length() < text(get("/traces", Map.of())).length() * 3 / 4);
        assertEquals(400, get("/traces", Map.of("fields", "some")).status());
    }

    @Test
    void traceByIdIsEmptyWhenUnknown() {
        store.spans.addAll(List.of(TestSpans.server(), TestSpans.client()));
        assertEquals(2, text(get("/traces/" + TestSpans.TRACE.toUpperCase(), Map.of())).lines().count());
        AgentApi.Answer none = get("/traces/" + OTHER_TRACE, Map.of());
        assertEquals(200, none.status());
        assertEquals(0, none.body().length);
        assertEquals(400, get("/traces/xyz", Map.of()).status());
    }

    @Test
    void completeFindsTheLocalTraceOfAConnectionAtATime() {
        store.spans.addAll(List.of(TestSpans.server(), TestSpans.client(), otherServer(2_000_000_000L)));
        // The caller at 10.0.0.9:51000 sent its request at 0.9999 s: the server span starting at 1.0 s is its callee.
        String body = "server tcp 10.0.0.1:8080 10.0.0.9:51000 999900000 1012600000\n"
                + "server tcp 10.0.0.1:8080 10.0.0.9:51000 999900000 1012600000\n" // duplicates answer once
                + "client - 10.0.0.1:40000 10.0.0.2:6379 0 1002000000 1002500000\n"; // the same trace again
        AgentApi.Answer a = api.handle("POST", "/complete", n -> null, n -> null, body, false);
        assertEquals(200, a.status(), text(a));
        assertEquals(2, text(a).lines().count(), "one trace, once");

        String miss = "server tcp 10.0.0.1:8080 10.0.0.9:51000 1000000001 1012600000\n" // starts too late
                + "client tcp 10.0.0.1:40000 10.0.0.2:6379 0 1002000000 1003000001\n" // ended before
                + "server udp 10.0.0.1:8080 10.0.0.9:51000 0 2000000000\n"; // another transport
        assertEquals(0, api.handle("POST", "/complete", n -> null, n -> null, miss, false).body().length);
    }

    @Test
    void theMergedAnswersComeFromTheLocalStore() {
        store.spans.addAll(List.of(TestSpans.server(), TestSpans.client()));
        AgentApi.Answer deps = get("/dependencies", Map.of("start", "0"));
        assertEquals(200, deps.status());
        assertEquals(ApiServlet.CONTENT_TYPE, deps.contentType());
        assertEquals(ApiJson.dependencies(store.dependencies(0, Long.MAX_VALUE)), text(deps));
        assertEquals(ApiJson.endpointLatency(store.endpointLatency("café-api", 0, Long.MAX_VALUE)),
                text(get("/endpoints/café-api/latency", Map.of())));
        assertEquals(ApiJson.spans(List.of(TestSpans.client())), text(get("/spans", Map.of("limit", "1"))));
        assertEquals(400, get("/dependencies", Map.of("start", "soon")).status());
        assertEquals(404, get("/endpoints/a/b/latency", Map.of()).status());
    }

    @Test
    void badLookupsAndMethodsAreRefused() {
        assertEquals(400, api.handle("POST", "/complete", n -> null, n -> null, "server tcp a b 5 1", false).status());
        assertEquals(400, api.handle("POST", "/complete", n -> null, n -> null, "peer tcp a b 1 5", false).status());
        assertEquals(400, api.handle("POST", "/complete", n -> null, n -> null, "server tcp a b x 5", false).status());
        assertEquals(405, api.handle("GET", "/complete", n -> null, n -> null, "", false).status());
        assertEquals(405, api.handle("POST", "/traces", n -> null, n -> null, "", false).status());
        assertEquals(404, get("/nothing", Map.of()).status());
        assertEquals(503, new AgentApi(() -> null).handle("GET", "/size", n -> null, n -> null, "", false).status());
    }

    @Test
    void gzipBodiesAreWhatTravels() throws IOException {
        store.spans.addAll(List.of(TestSpans.server(), TestSpans.client()));
        AgentApi.Answer plain = get("/traces", Map.of());
        AgentApi.Answer zipped = api.handle("GET", "/traces", n -> null, n -> null, "", true);
        assertTrue(zipped.gzip());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
    }

    @Test
    void servletAnswersOverHttpWithGzip() throws Exception {
        store.spans.addAll(List.of(TestSpans.server(), TestSpans.client()));
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        AgentServlet servlet = new AgentServlet();
        servlet.setStore(store);
        context.addServlet(new ServletHolder(new ApiServlet()), "/api/*");
        context.addServlet(new ServletHolder(servlet), "/api/agent/*");
        server.setHandler(context);
        server.start();
        try {
            URI base = server.getURI().resolve("/");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("/api/agent/complete"))
                    .header("Accept-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofString("client tcp 10.0.0.1:40000 10.0.0.2:6379 0 1002000000 0"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(null));
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                assertEquals(2, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count());
            }
            HttpResponse<String> size = http.send(HttpRequest.newBuilder(base.resolve("/api/agent/size")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"spans\":2}", size.body());
        } finally {
            server.stop();
        }
    }
}
