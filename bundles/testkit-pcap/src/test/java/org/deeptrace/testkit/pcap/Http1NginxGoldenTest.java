package org.deeptrace.testkit.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1 golden pcap: curl and a python client against nginx 1.22 (static files, and proxy_pass with upstream
 * keep-alive to a python3 http.server backend; static files also through sendfile()), both legs recorded on loopback with tcpdump by
 * protocol-plugins/http1/src/test/recording/pcap/record.sh. It lives here, not in the http1 module, because http1
 * cannot depend on this module (the pipeline and the pcap input test against http1).
 */
class Http1NginxGoldenTest {
    static final String RESOURCE = "/http1/nginx-python.pcap";
    static final String NGINX = "127.0.0.1:17580";
    static final String BACKEND = "127.0.0.1:17581";

    @Test
    void nginxWithPythonBackend() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new Http1Protocol(), RESOURCE);
        g.assertMatchesGolden(RESOURCE);
        assertEquals(Map.of(), g.countersStartingWith("parse.malformed"));

        List<L7Message> toNginx = requestsTo(g, NGINX);
        assertEquals(List.of("/index.html", "/about.html", "/api/items?id=7", // keep-alive
                "/index.html", "/big.bin?probe=1", "/api/items?id=1", // pipelined
                "/api/items", "/api/stream", "/missing.html", "/api/missing", "/api/fail", "/big.bin", "/index.html",
                "/big.bin", "/api/big", "/api/upload", "/sf/big.bin", "/sf/about.html"),
                toNginx.stream().map(m -> m.parsed().requestResource()).toList());
        assertEquals(List.of("GET", "GET", "GET", "GET", "HEAD", "GET", "POST", "GET", "GET", "GET", "GET", "HEAD",
                "GET", "GET", "GET", "POST", "GET", "GET"), toNginx.stream().map(m -> m.parsed().requestType()).toList());
        // every /api/ request was proxied over the one upstream keep-alive connection, Host rewritten
        List<L7Message> toBackend = requestsTo(g, BACKEND);
        assertEquals(toNginx.stream().map(m -> m.parsed().requestResource()).filter(r -> r.startsWith("/api/"))
                .toList(), toBackend.stream().map(m -> m.parsed().requestResource()).toList());
        assertEquals(1, toBackend.stream().map(L7Message::src).distinct().count(), "one upstream connection");
        assertTrue(toBackend.stream().allMatch(m -> "backend".equals(m.parsed().requestDomain())));

        L7Message first = toNginx.get(0);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", first.parsed().traceId());
        assertEquals("00f067aa0ba902b7", first.parsed().spanId());
        assertEquals("ka-1", first.parsed().xRequestId());
        assertEquals("pipe-2", toNginx.get(4).parsed().xRequestId());
        assertEquals(20_000 + 175, toNginx.get(15).parsed().size(), "the upload's body is part of the request");

        // Expect: 100-continue: the interim 100 is a session message, not the POST's response
        List<L7Message> sessions = g.messagesOfType(MessageType.SESSION);
        assertEquals(1, sessions.size());
        assertEquals(100, sessions.get(0).parsed().responseCode());

        assertEquals(26, g.spans.size(), "18 exchanges with nginx, 8 with the backend");
        assertTrue(g.spans.stream().allMatch(s -> s.kind() == SpanKind.SERVER));
        assertEquals(304, span(g, NGINX, "GET", "/index.html", 119).responseCode(), "If-None-Match");
        Span head = span(g, NGINX, "HEAD", "/big.bin", 87);
        assertEquals(243, head.respSize(), "HEAD: headers only, though Content-Length says 100000");
        assertEquals(100_243, span(g, NGINX, "GET", "/big.bin", 86).respSize());
        assertEquals(60_155, span(g, BACKEND, "GET", "/api/big", 78).respSize());
        Span stream = span(g, BACKEND, "GET", "/api/stream", 81);
        assertEquals(200, stream.responseCode());
        assertEquals(227, stream.respSize(), "the chunked body up to its last chunk");
        assertEquals(201, span(g, BACKEND, "POST", "/api/items", 167).responseCode());
        Span fail = span(g, NGINX, "GET", "/api/fail", 87);
        assertEquals(500, fail.responseCode());
        assertEquals(ResponseStatus.SERVER_ERROR, fail.responseStatus());
        assertEquals(ResponseStatus.CLIENT_ERROR, span(g, NGINX, "GET", "/missing.html", 91).responseStatus());
        Span upload = span(g, NGINX, "POST", "/api/upload", 20_175);
        assertEquals(200, upload.responseCode(), "the final response, not the 100 Continue");
        // sendfile(): the same bytes on the wire as a write
        assertEquals(100_243, span(g, NGINX, "GET", "/sf/big.bin", 89).respSize());
        assertEquals(268, span(g, NGINX, "GET", "/sf/about.html", 92).respSize());
        // pipelined: each response pairs with its own request
        assertEquals(List.of(282L, 243L, 197L), List.of(span(g, NGINX, "GET", "/index.html", 105).respSize(),
                span(g, NGINX, "HEAD", "/big.bin", 111).respSize(), span(g, NGINX, "GET", "/api/items", 128).respSize()));
    }

    private static List<L7Message> requestsTo(GoldenPcap g, String server) {
        return g.messagesOfType(MessageType.REQUEST).stream().filter(m -> server.equals(m.dst())).toList();
    }

    /** The one span on {@code local} with this method, endpoint and request size. */
    private static Span span(GoldenPcap g, String local, String method, String endpoint, long reqSize) {
        List<Span> found = g.spans.stream().filter(s -> local.equals(s.local()) && method.equals(s.requestType())
                && endpoint.equals(s.endpoint()) && s.reqSize() == reqSize).toList();
        assertEquals(1, found.size(), () -> method + " " + endpoint + " " + reqSize + " on " + local + ": " + found);
        return found.get(0);
    }
}
