package org.deeptrace.rest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent answers a query server under {@code /api/agent}: whole local traces as span records (contract
 * JSON lines, one span a line), so the server can assemble traces across hosts while moving only the spans a
 * query needs.
 *
 * <ul>
 * <li>{@code GET /api/agent/traces?service=&...&limit=} — every span of the local traces {@code /api/traces} would
 * list for the same parameters, trace by trace in its order; with {@code before=} and/or {@code after=} (epoch ms or
 * ISO instants, to the ns) only the local traces that started before {@code before} and at or after {@code after}
 * (a query server's next page); with {@code next=true} a last line {@code {"next_trace_start_ns":N}} tells when
 * the next local trace (the one after the limit) started, when there is one.</li>
 * <li>{@code GET /api/agent/traces/{traceId}} — the spans of one local trace (an empty body when none).</li>
 * <li>{@code POST /api/agent/complete} — one lookup a line; the spans of each local trace that holds a span the
 * lookup finds, each trace once:
 * <pre>
 * server L4 LOCAL REMOTE FROM_NS TO_NS          a server span on LOCAL/REMOTE that started in [FROM, TO]
 * client L4 LOCAL REMOTE FROM_NS TO_NS END_NS   a client span on LOCAL/REMOTE that started in [FROM, TO]
 *                                               and ended at or after END_NS
 * </pre>
 * {@code L4} is {@code tcp}, {@code udp} or {@code -} for either.</li>
 * <li>{@code fields=search} on {@code traces} and {@code complete}: each span with the fields a trace search needs
 * only — those a query may filter on ({@code TraceAnalysis.TAG_KEYS}), its kind, transport and times — and no
 * null fields: the record without {@code tid}, the sizes, {@code request_resource} and {@code correlation}. Trace
 * summaries computed from it are those of the whole records.</li>
 * <li>{@code GET /api/agent/size} — {@code {"spans": n}}.</li>
 * <li>{@code GET /api/agent/spans}, {@code /api/agent/dependencies}, {@code /api/agent/endpoints/{service}/latency}
 * — what {@code /api/spans}, {@code /api/dependencies} and {@code /api/endpoints/{service}/latency} answer, from the
 * local store (on a query server, {@code /api/...} answers across the agents: asking it would ask itself).</li>
 * </ul>
 *
 * <p>Free of the servlet API (like {@link ApiRouter}); public so that benchmarks can serve it from another HTTP
 * server. Bodies are compressed with gzip when {@link #handle} is asked to.
 */
public final class AgentApi {
    /** Span records, one a line. */
    public static final String SPAN_LINES = "application/x-ndjson; charset=utf-8";
    /** Lookups one request may carry; more are refused, so a request cannot pin the store for long. */
    static final int MAX_LOOKUPS = 10_000;
    /** Local traces one lookup may consider (newest first): a keep-alive connection holds many exchanges. */
    static final int LOOKUP_TRACES = 16;
    /** The key of the last line {@code next=true} adds to a trace search's answer. */
    public static final String NEXT_TRACE_START = "next_trace_start_ns";

    private static final JsonFactory JSON = new JsonFactory();
    private static final Logger LOG = LoggerFactory.getLogger(AgentApi.class);
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String TRACES = "/traces/";
    private static final String ENDPOINTS = "/endpoints/";
    private static final String LATENCY = "/latency";

    private final Supplier<SpanStore> store;

    /** @param store returns null while no store is available (requests then get 503) */
    public AgentApi(Supplier<SpanStore> store) {
        this.store = store;
    }

    /** An answer: status, content type and the body as it travels (gzip-compressed when asked). */
    public record Answer(int status, String contentType, byte[] body, boolean gzip) {
    }

    /**
     * @param path the path below {@code /api/agent}
     * @param params the query parameters, one value per name, null when absent
     * @param all every value of a parameter name, null when absent
     * @param body the request body (POST), empty otherwise
     * @param gzip compress the answer's body
     */
    public Answer handle(String method, String path, Function<String, String> params, Function<String, String[]> all,
            String body, boolean gzip) {
        try {
            byte[] out = route(method, path == null || path.isEmpty() ? "/" : path, params, all, body);
            String type = "/traces".equals(path) || "/complete".equals(path) || (path != null
                    && path.startsWith(TRACES)) ? SPAN_LINES : ApiServlet.CONTENT_TYPE;
            return new Answer(200, type, gzip ? gzip(out) : out, gzip);
        } catch (ApiException e) {
            return new Answer(e.status(), ApiServlet.CONTENT_TYPE,
                    ApiJson.error(e.status(), e.getMessage()).getBytes(StandardCharsets.UTF_8), false);
        } catch (RuntimeException e) {
            LOG.error("agent request {} /api/agent{} failed", method, path, e);
            return new Answer(500, ApiServlet.CONTENT_TYPE,
                    ApiJson.error(500, "internal error: " + e).getBytes(StandardCharsets.UTF_8), false);
        }
    }

    private byte[] route(String method, String path, Function<String, String> params, Function<String, String[]> all,
            String body) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        switch (path) {
            case "/traces":
                requireMethod(read, method, "GET");
                return localTraces(TraceQueryParams.parse(params, all),
                        TraceQueryParams.time(params, "after", 0), TraceQueryParams.time(params, "before",
                                Long.MAX_VALUE), "true".equals(params.apply("next")), searchFields(params));
            case "/complete":
                requireMethod("POST".equals(method), method, "POST");
                return complete(body == null ? "" : body, searchFields(params));
            case "/size":
                requireMethod(read, method, "GET");
                return ("{\"spans\":" + store().size() + "}").getBytes(StandardCharsets.UTF_8);
            case "/spans":
                requireMethod(read, method, "GET");
                return utf8(ApiJson.spans(store().find(SpanQueryParams.parse(params))));
            case "/dependencies":
                requireMethod(read, method, "GET");
                long[] range = TraceQueryParams.range(params);
                return utf8(ApiJson.dependencies(store().dependencies(range[0], range[1])));
            default:
                if (path.startsWith(ENDPOINTS) && path.endsWith(LATENCY)
                        && path.length() > ENDPOINTS.length() + LATENCY.length()) {
                    String service = path.substring(ENDPOINTS.length(), path.length() - LATENCY.length());
                    if (service.indexOf('/') < 0) {
                        requireMethod(read, method, "GET");
                        long[] r = TraceQueryParams.range(params);
                        return utf8(ApiJson.endpointLatency(store().endpointLatency(service, r[0], r[1])));
                    }
                }
                if (path.startsWith(TRACES) && path.indexOf('/', TRACES.length()) < 0) {
                    requireMethod(read, method, "GET");
                    String id = path.substring(TRACES.length()).toLowerCase(Locale.ROOT);
                    if (!TRACE_ID.matcher(id).matches()) {
                        throw ApiException.badRequest("trace id must be 32 hex digits, not '" + id + "'");
                    }
                    return lines(store().trace(id), false);
                }
                throw ApiException.notFound("no such resource: /api/agent" + path);
        }
    }

    private static boolean searchFields(Function<String, String> params) {
        String fields = params.apply("fields");
        if (fields == null || fields.isBlank() || "all".equals(fields)) {
            return false;
        }
        if (!"search".equals(fields)) {
            throw ApiException.badRequest("fields must be all or search, not '" + fields + "'");
        }
        return true;
    }

    private byte[] localTraces(TraceQuery query, long afterNs, long beforeNs, boolean next, boolean search) {
        SpanStore s = store();
        List<Span> out = new ArrayList<>();
        List<TraceSummary> page = startedIn(s, next ? withLimit(query, query.limit() + 1) : query, afterNs, beforeNs);
        String nextLine = "";
        if (next && page.size() > query.limit()) {
            // Where the next page would start: the server then knows whether it could matter without asking.
            nextLine = "{\"" + NEXT_TRACE_START + "\":" + page.get(query.limit()).startNs() + "}\n";
            page = page.subList(0, query.limit());
        }
        for (TraceSummary t : page) {
            out.addAll(s.trace(t.traceId()));
        }
        byte[] spans = lines(out, search);
        if (nextLine.isEmpty()) {
            return spans;
        }
        byte[] tail = nextLine.getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(spans, spans.length + tail.length);
        System.arraycopy(tail, 0, all, spans.length, tail.length);
        return all;
    }

    private static TraceQuery withLimit(TraceQuery q, int limit) {
        return new TraceQuery(q.service(), q.endpoint(), q.protocol(), q.status(), q.minDurationNs(),
                q.maxDurationNs(), q.startNs(), q.endNs(), q.tags(), limit);
    }

    /**
     * The newest {@code query.limit()} local traces of the query that started in {@code [afterNs, beforeNs)} (any
     * time when {@code beforeNs} is {@link Long#MAX_VALUE}): a query server pages through older traces with it. The
     * store ranks newest first and has no bound on a trace's start (a query's {@code start} and {@code end} bound
     * the matching span's start), so it is asked for twice as many each time until enough are in hand, the store
     * has no more, or the oldest it gave started before {@code afterNs}.
     */
    static List<TraceSummary> startedIn(SpanStore s, TraceQuery query, long afterNs, long beforeNs) {
        if (beforeNs == Long.MAX_VALUE && afterNs <= 0) {
            return s.traces(query);
        }
        int want = query.limit();
        int ask = Math.max(1, want);
        while (true) {
            List<TraceSummary> got = s.traces(withLimit(query, ask));
            List<TraceSummary> older = new ArrayList<>();
            for (TraceSummary t : got) {
                if (t.startNs() < beforeNs && t.startNs() >= afterNs && older.size() < want) {
                    older.add(t);
                }
            }
            if (older.size() >= want || got.size() < ask || ask == Integer.MAX_VALUE
                    || got.get(got.size() - 1).startNs() < afterNs) {
                return older;
            }
            ask = ask > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : ask * 2;
        }
    }

    /** The local traces the lookups find, each once, in the order of the lookups. */
    private byte[] complete(String body, boolean search) {
        List<Lookup> lookups = Lookup.parseAll(body);
        SpanStore s = store();
        Map<String, List<Span>> traces = new LinkedHashMap<>();
        for (Lookup l : lookups) {
            for (TraceSummary t : s.traces(l.query())) {
                if (traces.containsKey(t.traceId())) {
                    continue;
                }
                List<Span> spans = s.trace(t.traceId());
                if (spans.stream().anyMatch(l::finds)) {
                    traces.put(t.traceId(), spans);
                }
            }
        }
        List<Span> out = new ArrayList<>();
        traces.values().forEach(out::addAll);
        return lines(out, search);
    }

    /** One completion lookup (see the class comment). */
    record Lookup(SpanKind kind, String l4, String local, String remote, long fromNs, long toNs, long endFromNs) {

        static List<Lookup> parseAll(String body) {
            List<Lookup> out = new ArrayList<>();
            Set<Lookup> seen = new LinkedHashSet<>();
            try (BufferedReader r = new BufferedReader(new StringReader(body))) {
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    Lookup l = parse(line.strip(), n);
                    if (seen.add(l)) {
                        out.add(l);
                    }
                    if (out.size() > MAX_LOOKUPS) {
                        throw ApiException.badRequest("more than " + MAX_LOOKUPS + " lookups in one request");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a StringReader does not fail
            }
            return out;
        }

        static Lookup parse(String line, int n) {
            String[] f = line.split("\\s+");
            boolean server = f.length == 6 && "server".equals(f[0]);
            boolean client = f.length == 7 && "client".equals(f[0]);
            if (!server && !client) {
                throw ApiException.badRequest("lookup line " + n + ": expected 'server L4 LOCAL REMOTE FROM TO' or "
                        + "'client L4 LOCAL REMOTE FROM TO END', not '" + line + "'");
            }
            try {
                long from = Long.parseLong(f[4]);
                long to = Long.parseLong(f[5]);
                long endFrom = client ? Long.parseLong(f[6]) : Long.MIN_VALUE;
                if (to < from || from < 0) {
                    throw ApiException.badRequest("lookup line " + n + ": time range " + from + ".." + to
                            + " is empty or negative");
                }
                return new Lookup(server ? SpanKind.SERVER : SpanKind.CLIENT, "-".equals(f[1]) ? null : f[1], f[2],
                        f[3], from, to, endFrom);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("lookup line " + n + ": times must be integers (ns): '" + line + "'");
            }
        }

        /** The store query that narrows the candidates down; {@link #finds} decides. */
        TraceQuery query() {
            return new TraceQuery(null, null, null, null, 0, Long.MAX_VALUE, fromNs, toNs,
                    Map.of("kind", kind.wireName(), "local", local, "remote", remote), LOOKUP_TRACES);
        }

        boolean finds(Span s) {
            return s.kind() == kind && local.equals(s.local()) && remote.equals(s.remote())
                    && (l4 == null || (s.l4() != null && l4.equals(s.l4().wireName())))
                    && s.startNs() >= fromNs && s.startNs() <= toNs && s.endNs() >= endFromNs;
        }
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private SpanStore store() {
        SpanStore s = store.get();
        if (s == null) {
            throw ApiException.unavailable("no span store is available");
        }
        return s;
    }

    private static void requireMethod(boolean ok, String method, String allowed) {
        if (!ok) {
            throw ApiException.methodNotAllowed("method " + method + " is not allowed; use " + allowed);
        }
    }

    static byte[] lines(List<Span> spans, boolean search) {
        StringBuilder sb = new StringBuilder(spans.size() * (search ? 300 : 520));
        for (Span s : spans) {
            sb.append(search ? searchRecord(s) : RecordJson.span(s)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The span record with the fields a trace search needs (see the class comment), in the contract's order. */
    static String searchRecord(Span s) {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("span_id", s.spanId());
            optional(g, "parent_span_id", s.parentSpanId());
            optional(g, "trace_id", s.traceId());
            g.writeStringField("kind", s.kind().wireName());
            optional(g, "host", s.host());
            g.writeNumberField("tgid", s.tgid());
            optional(g, "comm", s.comm());
            g.writeStringField("protocol", s.protocol());
            optional(g, "l4", s.l4() == null ? null : s.l4().wireName());
            g.writeStringField("local", s.local());
            g.writeStringField("remote", s.remote());
            g.writeNumberField("start_ns", s.startNs());
            g.writeNumberField("end_ns", s.endNs());
            optional(g, "endpoint", s.endpoint());
            optional(g, "request_type", s.requestType());
            optional(g, "response_status", s.responseStatus() == null ? null : s.responseStatus().wireName());
            if (s.responseCode() != null) {
                g.writeNumberField("response_code", s.responseCode());
            }
            optional(g, "trace_id_header", s.traceIdHeader());
            optional(g, "x_request_id", s.xRequestId());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 6));
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not fail
        }
        return out.toByteArray();
    }
}
