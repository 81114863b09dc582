package org.deeptrace.rest.internal;

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

/**
 * A store over a fixed list of spans that answers by the SpanStore contract's rules ({@link TraceAnalysis}, as every
 * store does), with its traces indexed by id. For {@link AgentHttpServer} in tests and benchmarks.
 */
public final class ListSpanStore implements SpanStore {
    private final List<Span> spans;
    private final Map<String, List<Span>> byTrace = new LinkedHashMap<>();

    public ListSpanStore(List<Span> spans) {
        this.spans = List.copyOf(spans);
        for (Span s : this.spans) {
            if (s.traceId() != null) {
                byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
            }
        }
        byTrace.values().forEach(l -> l.sort(Comparator.comparingLong(Span::startNs).thenComparing(Span::spanId)));
    }

    /** Every span held, in the order given. */
    public List<Span> spans() {
        return spans;
    }

    @Override
    public List<Span> find(SpanQuery q) {
        return spans.stream()
                .filter(s -> q.protocol() == null || q.protocol().equals(s.protocol()))
                .filter(s -> q.endpoint() == null || q.endpoint().equals(s.endpoint()))
                .filter(s -> q.tgid() == 0 || q.tgid() == s.tgid())
                .sorted(Comparator.comparingLong(Span::startNs).reversed())
                .limit(q.limit())
                .toList();
    }

    @Override
    public List<Span> trace(String traceId) {
        return List.copyOf(byTrace.getOrDefault(traceId, List.of()));
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
