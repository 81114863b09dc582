package org.deeptrace.query.federation.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.GZIPInputStream;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.TraceQuery;

/**
 * Talks to one agent's REST API ({@code /api/agent/...} of the REST bundle: always the agent's local store, so a
 * query server that lists itself never asks itself), asking for gzip, and counts what travels in its
 * {@link Traffic}. Thread-safe.
 */
public final class AgentClient {
    private final String name;
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Traffic traffic = new Traffic();

    /** @param base the agent's root, e.g. {@code http://10.0.0.2:8181} */
    public AgentClient(String name, URI base, HttpClient http, Duration timeout) {
        this.name = name;
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.http = http;
        this.timeout = timeout;
    }

    public String name() {
        return name;
    }

    public URI base() {
        return base;
    }

    public Traffic traffic() {
        return traffic;
    }

    /**
     * The spans of the local traces that match the query (at most {@code query.limit()} traces).
     *
     * @param search only the fields a trace search needs (the agent API's {@code fields=search})
     */
    public List<Span> traces(TraceQuery query, boolean search) throws IOException {
        return traces(query, 0, Long.MAX_VALUE, search);
    }

    /**
     * As {@link #traces(TraceQuery, boolean)}, among the local traces that started in {@code [afterNs, beforeNs)}
     * only (the agent API's {@code after=} and {@code before=}): the page after one whose oldest trace started at
     * {@code beforeNs}, down to {@code afterNs}.
     */
    public List<Span> traces(TraceQuery query, long afterNs, long beforeNs, boolean search) throws IOException {
        return page(query, afterNs, beforeNs, search).spans();
    }

    /**
     * A page of local traces (see {@link #traces(TraceQuery, long, long, boolean)}) and when the agent's next local
     * trace of the query started (the agent API's {@code next=true}): {@link Long#MIN_VALUE} when it has none.
     */
    public Page page(TraceQuery query, long afterNs, long beforeNs, boolean search) throws IOException {
        StringJoiner bounds = new StringJoiner("");
        if (afterNs > 0) {
            bounds.add("&after=" + URLEncoder.encode(instant(afterNs), StandardCharsets.UTF_8));
        }
        if (beforeNs != Long.MAX_VALUE) {
            bounds.add("&before=" + URLEncoder.encode(instant(beforeNs), StandardCharsets.UTF_8));
        }
        Body b = get("/api/agent/traces?" + queryString(query) + bounds + "&next=true"
                + (search ? "&fields=search" : ""));
        byte[] body = b.plain();
        long next = Long.MIN_VALUE;
        int end = body.length;
        while (end > 0 && body[end - 1] == '\n') {
            end--;
        }
        int lineStart = end;
        while (lineStart > 0 && body[lineStart - 1] != '\n') {
            lineStart--;
        }
        String last = new String(body, lineStart, end - lineStart, StandardCharsets.UTF_8);
        String key = "{\"" + NEXT_TRACE_START + "\":";
        if (last.startsWith(key) && last.endsWith("}")) {
            try {
                next = Long.parseLong(last.substring(key.length(), last.length() - 1).strip());
            } catch (NumberFormatException e) {
                throw new IOException("agent " + name + " (traces): malformed last line '" + last + "'", e);
            }
            body = java.util.Arrays.copyOf(body, lineStart);
        }
        List<Span> spans = SpanLines.read(new ByteArrayInputStream(body), "agent " + name + " (traces)");
        traffic.request(b.sent, b.received, b.plainLength(), spans.size());
        return new Page(spans, next);
    }

    /** Spans of a page of local traces, and the start of the agent's next local trace (MIN_VALUE: none). */
    public record Page(List<Span> spans, long nextStartNs) {
    }

    /** As the REST bundle's AgentApi.NEXT_TRACE_START (the agent API's contract; not imported at run time). */
    static final String NEXT_TRACE_START = "next_trace_start_ns";

    /** The spans of one local trace; empty when the agent has none. */
    public List<Span> trace(String traceId) throws IOException {
        return spans(get("/api/agent/traces/" + traceId), "trace " + traceId);
    }

    /** The spans of the local traces the lookups find (see the REST bundle's AgentApi for the lookup lines). */
    public List<Span> complete(List<String> lookups, boolean search) throws IOException {
        return spans(post("/api/agent/complete" + (search ? "?fields=search" : ""), String.join("\n", lookups)
                + "\n"), "completion");
    }

    /** The agent's newest spans matching the query ({@code /api/agent/spans}: its local store). */
    public List<Span> find(SpanQuery query) throws IOException {
        StringJoiner q = new StringJoiner("&");
        param(q, "protocol", query.protocol());
        param(q, "endpoint", query.endpoint());
        if (query.tgid() != 0) {
            param(q, "pid", Integer.toString(query.tgid()));
        }
        param(q, "limit", Integer.toString(query.limit()));
        return spans(get("/api/agent/spans?" + q), "spans");
    }

    /** The number of spans the agent holds. */
    public long size() throws IOException {
        Body b = get("/api/agent/size");
        traffic.request(b.sent, b.received, b.plainLength(), 0);
        return JsonAnswers.size(b.stream(), name);
    }

    /** The agent's own dependency graph ({@code /api/agent/dependencies}: from its local store). */
    public List<JsonAnswers.Edge> dependencies(long startNs, long endNs) throws IOException {
        Body b = get("/api/agent/dependencies?" + range(startNs, endNs));
        traffic.request(b.sent, b.received, b.plainLength(), 0);
        return JsonAnswers.dependencies(b.stream(), name);
    }

    /** The agent's own latency histograms ({@code /api/agent/endpoints/{service}/latency}: its local store). */
    public List<JsonAnswers.Latency> endpointLatency(String service, long startNs, long endNs) throws IOException {
        Body b = get("/api/agent/endpoints/" + URLEncoder.encode(service, StandardCharsets.UTF_8).replace("+", "%20")
                + "/latency?" + range(startNs, endNs));
        traffic.request(b.sent, b.received, b.plainLength(), 0);
        return JsonAnswers.endpointLatency(b.stream(), name);
    }

    private List<Span> spans(Body b, String what) throws IOException {
        List<Span> spans = SpanLines.read(b.stream(), "agent " + name + " (" + what + ")");
        traffic.request(b.sent, b.received, b.plainLength(), spans.size());
        return spans;
    }

    private Body get(String target) throws IOException {
        return send(request(target).GET().build(), target, 0);
    }

    private Body post(String target, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(request(target).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), target, bytes.length);
    }

    private HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create(base + target)).timeout(timeout).header("Accept-Encoding", "gzip");
    }

    private Body send(HttpRequest request, String target, int bodyLength) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            traffic.failure();
            throw new IOException("agent " + name + ": interrupted", e);
        } catch (HttpTimeoutException e) {
            traffic.timeout();
            throw new IOException("agent " + name + " (" + base + target + "): timed out after " + timeout.toMillis()
                    + " ms", e);
        } catch (IOException e) {
            traffic.failure();
            throw new IOException("agent " + name + " (" + base + target + "): " + e, e);
        }
        long sent = requestBytes(request, target, bodyLength);
        long received = responseBytes(r);
        if (r.statusCode() != 200) {
            traffic.failure();
            traffic.request(sent, received, r.body().length, 0);
            throw new IOException("agent " + name + " answered " + r.statusCode() + " to " + target + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        boolean gzip = r.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
        if (!gzip) {
            return new Body(r.body(), sent, received);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            return new Body(in.readAllBytes(), sent, received);
        } catch (IOException e) {
            traffic.failure();
            traffic.request(sent, received, 0, 0);
            throw new IOException("agent " + name + " sent a broken gzip body to " + target + ": " + e, e);
        }
    }

    /** The request as HTTP/1.1 puts it on the wire: request line, the headers set here and the JDK's, body. */
    private long requestBytes(HttpRequest request, String target, int bodyLength) {
        long n = request.method().length() + 1 + target.length() + " HTTP/1.1\r\n".length();
        n += header("Host", base.getAuthority());
        n += header("User-Agent", "Java-http-client/" + System.getProperty("java.specification.version"));
        if (bodyLength > 0) {
            n += header("Content-Length", Integer.toString(bodyLength));
        }
        n += headers(request.headers());
        return n + 2 + bodyLength;
    }

    private static long responseBytes(HttpResponse<byte[]> r) {
        return "HTTP/1.1 200 OK\r\n".length() + headers(r.headers()) + 2 + r.body().length;
    }

    private static long headers(HttpHeaders headers) {
        long n = 0;
        for (Map.Entry<String, List<String>> h : headers.map().entrySet()) {
            if (h.getKey().startsWith(":")) {
                continue; // HTTP/2 pseudo-headers
            }
            for (String v : h.getValue()) {
                n += header(h.getKey(), v);
            }
        }
        return n;
    }

    private static long header(String name, String value) {
        return name.length() + 2 + value.getBytes(StandardCharsets.UTF_8).length + 2;
    }

    /** The parameters of {@code /api/traces} that ask exactly this query (times as ISO instants, to the ns). */
    static String queryString(TraceQuery q) {
        StringJoiner out = new StringJoiner("&");
        param(out, "service", q.service());
        param(out, "endpoint", q.endpoint());
        param(out, "protocol", q.protocol());
        param(out, "status", q.status() == null ? null : q.status().wireName());
        if (q.minDurationNs() > 0) {
            param(out, "minDurationMs", ms(q.minDurationNs()));
        }
        if (q.maxDurationNs() != Long.MAX_VALUE) {
            param(out, "maxDurationMs", ms(q.maxDurationNs()));
        }
        if (q.startNs() > 0) {
            param(out, "start", instant(q.startNs()));
        }
        if (q.endNs() != Long.MAX_VALUE) {
            param(out, "end", instant(q.endNs()));
        }
        for (Map.Entry<String, String> t : q.tags().entrySet()) {
            param(out, "tag", t.getKey() + ":" + t.getValue());
        }
        param(out, "limit", Integer.toString(q.limit()));
        return out.toString();
    }

    private static String range(long startNs, long endNs) {
        StringJoiner out = new StringJoiner("&");
        if (startNs > 0) {
            param(out, "start", instant(startNs));
        }
        if (endNs != Long.MAX_VALUE) {
            param(out, "end", instant(endNs));
        }
        return out.toString();
    }

    private static void param(StringJoiner out, String name, String value) {
        if (value != null) {
            out.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String ms(long ns) {
        return BigDecimal.valueOf(ns).movePointLeft(6).stripTrailingZeros().toPlainString();
    }

    private static String instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).toString();
    }

    /** A response body, decompressed, with the bytes counted each way on the wire. */
    private record Body(byte[] plain, long sent, long received) {
        InputStream stream() {
            return new ByteArrayInputStream(plain);
        }

        long plainLength() {
            return plain.length;
        }
    }

    @Override
    public String toString() {
        return name + "=" + base;
    }
}
