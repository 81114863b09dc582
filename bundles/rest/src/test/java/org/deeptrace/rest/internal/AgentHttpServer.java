package org.deeptrace.rest.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeptrace.api.store.SpanStore;

/**
 * An agent for tests and benchmarks outside OSGi: the agent API ({@link AgentApi}) over a store, on the JDK's HTTP
 * server on a free loopback port. Shared through this module's test jar by the query server's tests and the bench's
 * QueryDrivenBench, so that both measure the same agent.
 */
public final class AgentHttpServer implements AutoCloseable {
    private final HttpServer server;

    public AgentHttpServer(SpanStore store) throws IOException {
        AgentApi api = new AgentApi(() -> store);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/agent", ex -> answer(api, ex));
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, the base URI a query server is given. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(AgentApi api, HttpExchange ex) throws IOException {
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
        ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(a.body());
        }
    }

    /** The query's parameters, one value each (the agent API repeats none a query server sends). */
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
}
