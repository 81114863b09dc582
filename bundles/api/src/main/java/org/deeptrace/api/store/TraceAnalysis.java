package org.deeptrace.api.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;

/**
 * The answers of the {@link SpanStore} query methods computed from spans in hand: what a store that scans
 * returns, and what an indexed store computes once its index has narrowed the spans down. Every store uses these
 * rules, so all of them answer alike.
 */
public final class TraceAnalysis {
    /**
     * The span fields a {@link TraceQuery} may filter on as tags, by their contract names; {@code service}
     * (for {@code comm}) and {@code peer} (for {@code remote}) are accepted as aliases.
     */
    public static final Set<String> TAG_KEYS = Set.copyOf(List.of("host", "tgid", "comm", "protocol", "kind",
            "local", "remote", "endpoint", "request_type", "response_status", "response_code", "trace_id", "span_id",
            "parent_span_id", "x_request_id", "trace_id_header"));

    private TraceAnalysis() {
    }

    /** The contract name of a tag key: {@code service} → {@code comm}, {@code peer} → {@code remote}, else as is. */
    public static String canonicalTag(String key) {
        switch (key) {
            case "service":
                return "comm";
            case "peer":
                return "remote";
            default:
                return key;
        }
    }

    /**
     * The value of a span field as a tag: its string form as the span record writes it (enums by their wire names,
     * numbers in decimal), null when absent.
     *
     * @param key a name of {@link #TAG_KEYS}
     */
    public static String tag(Span s, String key) {
        switch (key) {
            case "host":
                return s.host();
            case "tgid":
                return Integer.toString(s.tgid());
            case "comm":
                return s.comm();
            case "protocol":
                return s.protocol();
            case "kind":
                return s.kind().wireName();
            case "local":
                return s.local();
            case "remote":
                return s.remote();
            case "endpoint":
                return s.endpoint();
            case "request_type":
                return s.requestType();
            case "response_status":
                return s.responseStatus() == null ? null : s.responseStatus().wireName();
            case "response_code":
                return s.responseCode() == null ? null : s.responseCode().toString();
            case "trace_id":
                return s.traceId();
            case "span_id":
                return s.spanId();
            case "parent_span_id":
                return s.parentSpanId();
            case "x_request_id":
                return s.xRequestId();
            case "trace_id_header":
                return s.traceIdHeader();
            default:
                throw new IllegalArgumentException("unknown tag '" + key + "'");
        }
    }

    /** True when the span answered with an error: {@code client_error}, {@code server_error} or {@code error}. */
    public static boolean isError(ResponseStatus status) {
        return status == ResponseStatus.CLIENT_ERROR || status == ResponseStatus.SERVER_ERROR
                || status == ResponseStatus.ERROR;
    }

    /** True when the span answered with an error (see {@link #isError(ResponseStatus)}). */
    public static boolean isError(Span s) {
        return isError(s.responseStatus());
    }

    /** What latency histograms group a span under: its endpoint, or its protocol when it has none. */
    public static String endpointOf(Span s) {
        return s.endpoint() != null ? s.endpoint() : s.protocol();
    }

    /** True when the span matches every criterion of the query (its trace then matches). */
    public static boolean matches(TraceQuery q, Span s) {
        if (q.service() != null && !q.service().equals(s.comm())) {
            return false;
        }
        if (q.endpoint() != null && !q.endpoint().equals(s.endpoint())) {
            return false;
        }
        if (q.protocol() != null && !q.protocol().equalsIgnoreCase(s.protocol())) {
            return false;
        }
        if (q.status() != null && q.status() != s.responseStatus()) {
            return false;
        }
        long d = s.durationNs();
        if (d < q.minDurationNs() || d > q.maxDurationNs() || s.startNs() < q.startNs() || s.startNs() > q.endNs()) {
            return false;
        }
        for (Map.Entry<String, String> t : q.tags().entrySet()) {
            if (!t.getValue().equals(tag(s, t.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Summarises one trace.
     *
     * @param spans every stored span of the trace, in any order; not empty
     */
    public static TraceSummary summarize(String traceId, Collection<Span> spans) {
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("trace " + traceId + " has no spans");
        }
        Set<String> ids = new HashSet<>();
        for (Span s : spans) {
            ids.add(s.spanId());
        }
        Span root = null;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        boolean error = false;
        Set<String> services = new TreeSet<>();
        for (Span s : spans) {
            boolean isRoot = s.parentSpanId() == null || !ids.contains(s.parentSpanId());
            if (isRoot && (root == null || s.startNs() < root.startNs())) {
                root = s;
            }
            start = Math.min(start, s.startNs());
            end = Math.max(end, s.endNs());
            error |= isError(s);
            if (s.comm() != null) {
                services.add(s.comm());
            }
        }
        if (root == null) {
            // Every span has a stored parent: a cycle. The earliest span stands in for the root.
            root = spans.stream().min(Comparator.comparingLong(Span::startNs)).orElseThrow();
        }
        return new TraceSummary(traceId, root.comm(), root.endpoint(), new ArrayList<>(services), spans.size(), start,
                end - start, error);
    }

    /**
     * The trace as a forest: each span under its parent, children in start order; spans whose parent is not among
     * {@code spans} are roots (an orphan's subtree is kept whole). Parent links that would form a cycle are cut.
     *
     * @return the roots, in start order
     */
    public static List<SpanNode> tree(Collection<Span> spans) {
        Map<String, Span> byId = new HashMap<>();
        for (Span s : spans) {
            byId.putIfAbsent(s.spanId(), s);
        }
        Map<String, List<Span>> children = new HashMap<>();
        List<Span> roots = new ArrayList<>();
        for (Span s : byId.values()) {
            String p = s.parentSpanId();
            if (p == null || !byId.containsKey(p) || p.equals(s.spanId()) || cycles(s, byId)) {
                roots.add(s);
            } else {
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
            }
        }
        roots.sort(START_ORDER);
        List<SpanNode> out = new ArrayList<>(roots.size());
        for (Span r : roots) {
            out.add(node(r, children, new HashSet<>()));
        }
        return out;
    }

    private static final Comparator<Span> START_ORDER = Comparator.comparingLong(Span::startNs)
            .thenComparing(Span::spanId);

    /** True when following parents from {@code s} comes back to {@code s}; such a span is made a root. */
    private static boolean cycles(Span s, Map<String, Span> byId) {
        Set<String> seen = new HashSet<>();
        Span cur = s;
        while (cur != null && cur.parentSpanId() != null && seen.add(cur.spanId())) {
            if (cur.parentSpanId().equals(s.spanId())) {
                // Cut the cycle at its earliest span (ties by id) so exactly one span of it becomes a root.
                return isCycleHead(s, byId);
            }
            cur = byId.get(cur.parentSpanId());
        }
        return false;
    }

    private static boolean isCycleHead(Span s, Map<String, Span> byId) {
        Span cur = byId.get(s.parentSpanId());
        while (cur != null && !cur.spanId().equals(s.spanId())) {
            if (START_ORDER.compare(cur, s) < 0) {
                return false;
            }
            cur = byId.get(cur.parentSpanId());
        }
        return true;
    }

    private static SpanNode node(Span s, Map<String, List<Span>> children, Set<String> path) {
        path.add(s.spanId());
        List<Span> kids = new ArrayList<>(children.getOrDefault(s.spanId(), List.of()));
        kids.sort(START_ORDER);
        List<SpanNode> nodes = new ArrayList<>(kids.size());
        for (Span k : kids) {
            if (!path.contains(k.spanId())) {
                nodes.add(node(k, children, path));
            }
        }
        path.remove(s.spanId());
        return new SpanNode(s, nodes);
    }

    /**
     * Trace search over spans in hand: the summaries of the traces with a span matching the query, newest first.
     * Spans without a trace id are not part of any trace and never match.
     */
    public static List<TraceSummary> traces(Collection<Span> spans, TraceQuery q) {
        Map<String, List<Span>> byTrace = new HashMap<>();
        Set<String> matched = new LinkedHashSet<>();
        for (Span s : spans) {
            if (s.traceId() == null) {
                continue;
            }
            byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
            if (matches(q, s)) {
                matched.add(s.traceId());
            }
        }
        List<TraceSummary> out = new ArrayList<>(matched.size());
        for (String id : matched) {
            out.add(summarize(id, byTrace.get(id)));
        }
        out.sort(NEWEST_FIRST);
        return out.size() > q.limit() ? new ArrayList<>(out.subList(0, q.limit())) : out;
    }

    /** Newest trace first; ties by trace id, so the order is stable. */
    public static final Comparator<TraceSummary> NEWEST_FIRST = Comparator.comparingLong(TraceSummary::startNs)
            .reversed().thenComparing(TraceSummary::traceId);

    /**
     * The dependency graph of the spans that started in {@code [startNs, endNs]} (see {@link DependencyLinker}).
     */
    public static List<DependencyLink> dependencies(Collection<Span> spans, long startNs, long endNs) {
        DependencyLinker linker = new DependencyLinker();
        for (Span s : spans) {
            if (s.startNs() >= startNs && s.startNs() <= endNs) {
                linker.add(s.spanId(), s.parentSpanId(), s.kind(), s.host(), s.tgid(), s.comm(), s.remote(),
                        s.startNs(), s.durationNs(), isError(s));
            }
        }
        return linker.links(rangeSeconds(startNs, endNs));
    }

    /** The length of a closed time range in seconds, or 0 when either end is open. */
    public static double rangeSeconds(long startNs, long endNs) {
        return startNs <= 0 || endNs == Long.MAX_VALUE ? 0 : (endNs - startNs) / 1e9;
    }

    /** The latency of each endpoint of {@code service} over the spans that started in {@code [startNs, endNs]}. */
    public static List<EndpointLatency> endpointLatency(Collection<Span> spans, String service, long startNs,
            long endNs) {
        EndpointLatencies acc = new EndpointLatencies();
        for (Span s : spans) {
            if (service.equals(s.comm()) && s.startNs() >= startNs && s.startNs() <= endNs) {
                acc.add(s.comm(), endpointOf(s), s.kind(), s.durationNs(), isError(s));
            }
        }
        return acc.of(service);
    }

    /** Per (service, endpoint, kind) histograms being accumulated; not thread-safe. */
    public static final class EndpointLatencies {
        private final Map<String, Map<String, EndpointLatencyAcc>> byService = new HashMap<>();

        private static final class EndpointLatencyAcc {
            final LatencyHistogram histogram = new LatencyHistogram();
            long errors;
        }

        /** Adds one span's duration. */
        public void add(String service, String endpoint, SpanKind kind, long durationNs, boolean error) {
            String svc = service == null ? "" : service;
            EndpointLatencyAcc a = byService.computeIfAbsent(svc, k -> new TreeMap<>())
                    .computeIfAbsent(endpoint + '\u0000' + kind.wireName(), k -> new EndpointLatencyAcc());
            a.histogram.add(durationNs);
            if (error) {
                a.errors++;
            }
        }

        /** Adds everything of {@code other}. */
        public void addAll(EndpointLatencies other) {
            for (Map.Entry<String, Map<String, EndpointLatencyAcc>> s : other.byService.entrySet()) {
                for (Map.Entry<String, EndpointLatencyAcc> e : s.getValue().entrySet()) {
                    EndpointLatencyAcc a = byService.computeIfAbsent(s.getKey(), k -> new TreeMap<>())
                            .computeIfAbsent(e.getKey(), k -> new EndpointLatencyAcc());
                    a.histogram.addAll(e.getValue().histogram);
                    a.errors += e.getValue().errors;
                }
            }
        }

        /** The services seen, sorted. */
        public Set<String> services() {
            return new TreeSet<>(byService.keySet());
        }

        /** Copies of the histograms of one service, sorted by endpoint then kind. */
        public List<EndpointLatency> of(String service) {
            List<EndpointLatency> out = new ArrayList<>();
            for (Map.Entry<String, EndpointLatencyAcc> e : byService.getOrDefault(service, Map.of()).entrySet()) {
                String key = e.getKey();
                int sep = key.lastIndexOf('\u0000');
                out.add(new EndpointLatency(service, key.substring(0, sep),
                        SpanKind.fromWireName(key.substring(sep + 1)), e.getValue().histogram.copy(),
                        e.getValue().errors));
            }
            return out;
        }

        /** Forgets everything. */
        public void clear() {
            byService.clear();
        }
    }
}
