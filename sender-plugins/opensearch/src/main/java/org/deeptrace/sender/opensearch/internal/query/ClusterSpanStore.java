package org.deeptrace.sender.opensearch.internal.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.DependencyLinker;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.deeptrace.sender.opensearch.internal.ClusterTransport;
import org.deeptrace.sender.opensearch.internal.SenderSettings;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;

/**
 * The {@link SpanStore} queries answered by an OpenSearch cluster, over the daily span indices the sender writes
 * ({@code <index_prefix>*}, mappings in the sender's index template: every field filtered on is a keyword or a
 * number). The index narrows the spans down (term and range filters, sorted and bounded searches); the answers are
 * then computed by the API's rules ({@link TraceAnalysis}, {@link DependencyLinker}), so they are the ones the
 * memory and Lucene stores give for the same spans.
 *
 * <p>Every fetch is bounded (see the constants); a query that would need more fails with a message saying which
 * bound and how to narrow it, instead of answering from part of the spans. A cluster that cannot be reached, or that
 * refuses a search, makes the method throw {@link IllegalStateException} naming the cluster and the cause.
 *
 * <p>Thread-safe (the client is). Spans are searchable once the cluster refreshed their index (the template's
 * {@code refresh_interval} is 5 s).
 */
public final class ClusterSpanStore implements SpanStore, AutoCloseable {
    /** Hits per search request: the cluster's default {@code index.max_result_window}. */
    static final int PAGE = 10_000;
    /** {@link #find} returns at most this many spans, whatever the query's limit. */
    static final int MAX_FIND = 10_000;
    /** {@link #trace} returns at most this many spans of one trace (the earliest ones). */
    static final int MAX_TRACE_SPANS = 100_000;
    /** {@link #traces} reads at most this many matching spans to choose its traces. */
    static final int MAX_MATCH_SCAN = 200_000;
    /** {@link #traces} fetches at most this many spans of the chosen traces for their summaries. */
    static final int MAX_SUMMARY_SPANS = 200_000;
    /** {@link #dependencies} and {@link #endpointLatency} read at most this many spans of the time range. */
    static final int MAX_SCAN_SPANS = 2_000_000;

    private static final String START = "start_ns";
    private static final String SPAN_ID = "span_id";
    private static final String TRACE_ID = "trace_id";
    private static final List<String> TRACE_POINTER = List.of(TRACE_ID, START, SPAN_ID);
    private static final List<String> LINK_FIELDS = List.of(SPAN_ID, "parent_span_id", "kind", "host", "tgid", "comm",
            "remote", START, "end_ns", "response_status");
    private static final List<String> LATENCY_FIELDS = List.of(SPAN_ID, "comm", "endpoint", "protocol", "kind",
            START, "end_ns", "response_status");
    /** Tag fields mapped as numbers: a tag value must be a number's canonical decimal form to match anything. */
    private static final Set<String> NUMERIC_TAGS = Set.of("tgid", "response_code");

    private final ApacheHttpClient5Transport transport;
    private final OpenSearchClient client;
    private final String pattern;
    private final String cluster;

    /**
     * @param indexPattern the span indices, e.g. {@code deeptrace-spans-*}
     */
    ClusterSpanStore(List<URI> urls, String username, String password, long timeoutMs, String indexPattern) {
        this.transport = ClusterTransport.create(urls, username, password, timeoutMs, new JacksonJsonpMapper());
        this.client = new OpenSearchClient(transport);
        this.pattern = indexPattern;
        this.cluster = urls.toString();
    }

    /** A store over the indices the sender with these settings writes. */
    public static ClusterSpanStore of(SenderSettings s) {
        return new ClusterSpanStore(s.urls(), s.username(), s.password(), s.timeout().toMillis(),
                s.indexPrefix() + "*");
    }

    @Override
    public List<Span> find(SpanQuery q) {
        if (q.limit() == 0) {
            return List.of();
        }
        List<Query> filters = new ArrayList<>();
        if (q.protocol() != null) {
            filters.add(protocol(q.protocol()));
        }
        term(filters, "endpoint", q.endpoint());
        if (q.tgid() != 0) {
            term(filters, "tgid", Integer.toString(q.tgid()));
        }
        int size = Math.min(q.limit(), MAX_FIND);
        List<Hit<ObjectNode>> hits = call("span search", () -> search(bool(filters), newestFirst(), size, null, null));
        List<Span> out = new ArrayList<>(hits.size());
        for (Hit<ObjectNode> h : hits) {
            out.add(SpanSources.span(h.source()));
        }
        return out;
    }

    @Override
    public List<Span> trace(String traceId) {
        List<Span> out = new ArrayList<>();
        scan("trace " + traceId, bool(List.of(termQuery(TRACE_ID, traceId))), null, MAX_TRACE_SPANS, false,
                n -> out.add(SpanSources.span(n)));
        return out;
    }

    @Override
    public long size() {
        return call("count", () -> client.count(c -> c.index(pattern).ignoreUnavailable(true).allowNoIndices(true))
                .count());
    }

    /**
     * Finds the matching spans newest first, a page at a time, and keeps the distinct traces they belong to; for
     * each new trace, its start (its earliest span, whether it matches or not) comes from one collapsed search.
     * Traces rank by that start, as in {@link TraceAnalysis#traces}; reading stops once {@code limit} traces start
     * after the newest matching span not yet read (no unread trace can rank above them), or when the matching spans
     * run out. Then the chosen traces' spans come in one terms search and are summarised.
     */
    @Override
    public List<TraceSummary> traces(TraceQuery q) {
        if (q.limit() == 0) {
            return List.of();
        }
        List<Query> filters = filters(q);
        if (filters == null) {
            return List.of();
        }
        Query match = bool(filters);
        int page = Math.min(PAGE, Math.max(64, q.limit() * 8));
        Map<String, Long> traceStarts = new HashMap<>();
        List<FieldValue> after = null;
        long read = 0;
        List<String> chosen;
        while (true) {
            List<FieldValue> from = after;
            List<Hit<ObjectNode>> hits = call("trace search", () -> search(match, newestFirst(), page, from,
                    TRACE_POINTER));
            read += hits.size();
            Set<String> fresh = new LinkedHashSet<>();
            for (Hit<ObjectNode> h : hits) {
                String t = SpanSources.text(h.source(), TRACE_ID);
                if (!traceStarts.containsKey(t)) {
                    fresh.add(t);
                }
            }
            if (!fresh.isEmpty()) {
                traceStarts.putAll(traceStarts(fresh));
            }
            chosen = ranked(traceStarts, q.limit());
            if (hits.size() < page) {
                break;
            }
            ObjectNode last = hits.get(hits.size() - 1).source();
            long frontier = SpanSources.number(last, START);
            if (chosen.size() == q.limit() && traceStarts.get(chosen.get(chosen.size() - 1)) > frontier) {
                break;
            }
            if (read >= MAX_MATCH_SCAN) {
                throw new IllegalStateException("OpenSearch query backend: more than " + MAX_MATCH_SCAN
                        + " spans match " + q + " without settling the newest " + q.limit()
                        + " traces; narrow the query (time range, service, endpoint) or lower the limit");
            }
            after = List.of(FieldValue.of(frontier), FieldValue.of(SpanSources.text(last, SPAN_ID)));
        }
        if (chosen.isEmpty()) {
            return List.of();
        }
        Map<String, List<Span>> byTrace = new LinkedHashMap<>();
        chosen.forEach(id -> byTrace.put(id, new ArrayList<>()));
        scan("spans of " + chosen.size() + " traces", bool(List.of(termsQuery(TRACE_ID, chosen))), null,
                MAX_SUMMARY_SPANS, false, n -> {
                    Span s = SpanSources.span(n);
                    byTrace.get(s.traceId()).add(s);
                });
        List<TraceSummary> out = new ArrayList<>(byTrace.size());
        for (Map.Entry<String, List<Span>> e : byTrace.entrySet()) {
            if (!e.getValue().isEmpty()) {
                out.add(TraceAnalysis.summarize(e.getKey(), e.getValue()));
            }
        }
        out.sort(TraceAnalysis.NEWEST_FIRST);
        return out;
    }

    /** The start of each trace (its earliest span): one search collapsed on the trace id, earliest first. */
    private Map<String, Long> traceStarts(Set<String> traceIds) {
        List<String> ids = new ArrayList<>(traceIds);
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i += PAGE) {
            List<String> part = ids.subList(i, Math.min(ids.size(), i + PAGE));
            List<Hit<ObjectNode>> hits = call("trace starts", () -> client.search(s -> s.index(pattern)
                    .ignoreUnavailable(true).allowNoIndices(true)
                    .query(bool(List.of(termsQuery(TRACE_ID, part))))
                    .collapse(c -> c.field(TRACE_ID))
                    .sort(oldestFirst())
                    .size(part.size())
                    .trackTotalHits(t -> t.enabled(false))
                    .source(src -> src.filter(f -> f.includes(TRACE_ID, START))), ObjectNode.class).hits().hits());
            for (Hit<ObjectNode> h : hits) {
                out.put(SpanSources.text(h.source(), TRACE_ID), SpanSources.number(h.source(), START));
            }
        }
        return out;
    }

    /** The newest {@code limit} traces by start, ties by trace id ({@link TraceAnalysis#NEWEST_FIRST}). */
    private static List<String> ranked(Map<String, Long> traceStarts, int limit) {
        return traceStarts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public List<DependencyLink> dependencies(long startNs, long endNs) {
        DependencyLinker linker = new DependencyLinker();
        scan("dependency graph", bool(startRange(startNs, endNs)), LINK_FIELDS, MAX_SCAN_SPANS, true, n -> {
            String status = SpanSources.text(n, "response_status");
            long start = SpanSources.number(n, START);
            linker.add(SpanSources.text(n, SPAN_ID), SpanSources.text(n, "parent_span_id"),
                    SpanKind.fromWireName(SpanSources.text(n, "kind")), SpanSources.text(n, "host"),
                    (int) SpanSources.number(n, "tgid"), SpanSources.text(n, "comm"), SpanSources.text(n, "remote"),
                    start, SpanSources.number(n, "end_ns") - start, isError(status));
        });
        return linker.links(TraceAnalysis.rangeSeconds(startNs, endNs));
    }

    @Override
    public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
        TraceAnalysis.EndpointLatencies acc = new TraceAnalysis.EndpointLatencies();
        List<Query> filters = new ArrayList<>(startRange(startNs, endNs));
        term(filters, "comm", service);
        scan("endpoint latency of " + service, bool(filters), LATENCY_FIELDS, MAX_SCAN_SPANS, true, n -> {
            String endpoint = SpanSources.text(n, "endpoint");
            long start = SpanSources.number(n, START);
            acc.add(service, endpoint != null ? endpoint : SpanSources.text(n, "protocol"),
                    SpanKind.fromWireName(SpanSources.text(n, "kind")), SpanSources.number(n, "end_ns") - start,
                    isError(SpanSources.text(n, "response_status")));
        });
        return acc.of(service);
    }

    private static boolean isError(String status) {
        return status != null && TraceAnalysis.isError(ResponseStatus.fromWireName(status));
    }

    /**
     * The filters of a trace query, one per criterion; null when no span can match (a numeric tag whose value is
     * not a number as the span record writes it, which a term query on a number field would otherwise coerce).
     */
    static List<Query> filters(TraceQuery q) {
        List<Query> f = new ArrayList<>();
        term(f, "comm", q.service());
        term(f, "endpoint", q.endpoint());
        if (q.protocol() != null) {
            f.add(protocol(q.protocol()));
        }
        if (q.status() != null) {
            term(f, "response_status", q.status().wireName());
        }
        for (Map.Entry<String, String> t : q.tags().entrySet()) {
            if (NUMERIC_TAGS.contains(t.getKey()) && !isCanonicalInt(t.getValue())) {
                return null;
            }
            term(f, t.getKey(), t.getValue());
        }
        if (q.minDurationNs() > 0 || q.maxDurationNs() < Long.MAX_VALUE) {
            f.add(range("duration_ns", q.minDurationNs(), q.maxDurationNs()));
        }
        f.addAll(startRange(q.startNs(), q.endNs()));
        // Spans without a trace id belong to no trace.
        f.add(Query.of(b -> b.exists(e -> e.field(TRACE_ID))));
        return f;
    }

    private static boolean isCanonicalInt(String v) {
        try {
            return Integer.toString(Integer.parseInt(v)).equals(v);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<Query> startRange(long startNs, long endNs) {
        return startNs <= 0 && endNs == Long.MAX_VALUE ? List.of() : List.of(range(START, startNs, endNs));
    }

    /** Protocol names match case-insensitively, as in {@link TraceAnalysis#matches}. */
    private static Query protocol(String protocol) {
        return Query.of(b -> b.term(t -> t.field("protocol").value(FieldValue.of(protocol)).caseInsensitive(true)));
    }

    private static void term(List<Query> filters, String field, String value) {
        if (value != null) {
            filters.add(termQuery(field, value));
        }
    }

    private static Query termQuery(String field, String value) {
        return Query.of(b -> b.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    private static Query termsQuery(String field, List<String> values) {
        List<FieldValue> v = values.stream().map(FieldValue::of).toList();
        return Query.of(b -> b.terms(t -> t.field(field).terms(tf -> tf.value(v))));
    }

    private static Query range(String field, long from, long to) {
        return Query.of(b -> b.range(r -> r.field(field).gte(JsonData.of(from)).lte(JsonData.of(to))));
    }

    private static Query bool(List<Query> filters) {
        return filters.isEmpty() ? Query.of(b -> b.matchAll(m -> m))
                : Query.of(b -> b.bool(x -> x.filter(filters)));
    }

    private static List<SortOptions> newestFirst() {
        return List.of(sort(START, SortOrder.Desc, FieldType.Long), sort(SPAN_ID, SortOrder.Asc, FieldType.Keyword));
    }

    private static List<SortOptions> oldestFirst() {
        return List.of(sort(START, SortOrder.Asc, FieldType.Long), sort(SPAN_ID, SortOrder.Asc, FieldType.Keyword));
    }

    /** A sort that tolerates an index matching the pattern without the template's mappings (it sorts last). */
    private static SortOptions sort(String field, SortOrder order, FieldType unmapped) {
        return SortOptions.of(s -> s.field(f -> f.field(field).order(order).unmappedType(unmapped)));
    }

    private List<Hit<ObjectNode>> search(Query query, List<SortOptions> sort, int size, List<FieldValue> after,
            List<String> includes) throws IOException {
        SearchRequest.Builder b = new SearchRequest.Builder().index(pattern).ignoreUnavailable(true)
                .allowNoIndices(true).query(query).sort(sort).size(size).trackTotalHits(t -> t.enabled(false));
        if (after != null) {
            b.searchAfter(after);
        }
        if (includes != null) {
            b.source(src -> src.filter(f -> f.includes(includes)));
        }
        return client.search(b.build(), ObjectNode.class).hits().hits();
    }

    /**
     * Reads every span matching {@code query}, oldest first (start, then span id), a page at a time through
     * {@code search_after}; fails when more than {@code max} match.
     *
     * @param includes the source fields to read, null for the whole span
     * @param failOnMore true to fail beyond {@code max}; false to stop there (a trace cut at its earliest spans)
     */
    private void scan(String what, Query query, List<String> includes, int max, boolean failOnMore,
            Consumer<ObjectNode> each) {
        List<FieldValue> after = null;
        long read = 0;
        while (true) {
            List<FieldValue> from = after;
            int size = (int) Math.min(PAGE, max - read + 1);
            List<Hit<ObjectNode>> hits = call(what, () -> search(query, oldestFirst(), size, from, includes));
            for (Hit<ObjectNode> h : hits) {
                if (read == max) {
                    if (failOnMore) {
                        throw new IllegalStateException("OpenSearch query backend: the " + what + " needs more than "
                                + max + " spans; narrow the time range");
                    }
                    return;
                }
                each.accept(h.source());
                read++;
            }
            if (hits.size() < size) {
                return;
            }
            ObjectNode last = hits.get(hits.size() - 1).source();
            after = List.of(FieldValue.of(SpanSources.number(last, START)),
                    FieldValue.of(SpanSources.text(last, SPAN_ID)));
        }
    }

    private interface ClusterCall<T> {
        T run() throws IOException;
    }

    /** Runs one request; what goes wrong becomes an {@link IllegalStateException} naming the cluster. */
    private <T> T call(String what, ClusterCall<T> c) {
        try {
            return c.run();
        } catch (OpenSearchException e) {
            throw new IllegalStateException("OpenSearch query backend: " + what + " refused by " + cluster + ": "
                    + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("OpenSearch query backend: " + what + " failed, cluster " + cluster
                    + " unreachable or failing: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
