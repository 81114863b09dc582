package org.deeptrace.query.federation.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.deeptrace.rest.internal.AgentApi;

/**
 * An agent for tests: spans in a list, the REST bundle's agent API in front of them on the JDK's HTTP server, on
 * a free loopback port.
 */
final class TestAgent implements AutoCloseable {
    final ScanStore store = new ScanStore();
    private final HttpServer server;

    TestAgent(List<Span> spans) throws IOException {
        store.spans.addAll(spans);
        AgentApi api = new AgentApi(() -> store);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/agent", ex -> {
            Map<String, String> params = params(ex.getRequestURI());
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
            AgentApi.Answer a = api.handle(ex.getRequestMethod(),
                    ex.getRequestURI().getPath().substring("/api/agent".length()), params::get,
                    n -> params.containsKey(n) ? new String[] {params.get(n)} : null, body,
                    accept != null && accept.contains("gzip"));
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            if (a.gzip()) {
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            send(ex, a.status(), a.body());
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> params(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q != null) {
            for (String p : q.split("&")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A store that scans a list, answering as the SpanStore contract says. */
    static final class ScanStore implements SpanStore {
        final List<Span> spans = new ArrayList<>();

        @Override
        public List<Span> find(SpanQuery q) {
            return spans.stream().sorted(Comparator.comparingLong(Span::startNs).reversed()).limit(q.limit()).toList();
        }

        @Override
        public List<Span> trace(String traceId) {
            return spans.stream().filter(s -> traceId.equals(s.traceId()))
                    .sorted(Comparator.comparingLong(Span::startNs)).toList();
        }

        @Override
        public long size() {
            return spans.size();
        }

        @Override
        public List<TraceSummary> traces(TraceQuery query) {
            return TraceAnalysis.traces(spans, query);
        }

        @Override
        public List<DependencyLink> dependencies(long startNs, long endNs) {
            return TraceAnalysis.dependencies(spans, startNs, endNs);
        }

        @Override
        public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
            return TraceAnalysis.endpointLatency(spans, service, startNs, endNs);
        }
    }
}
