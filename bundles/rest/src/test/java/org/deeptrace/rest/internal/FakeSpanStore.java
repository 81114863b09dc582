package org.deeptrace.rest.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;

/** Holds a list of spans, answers queries the way the SpanStore contract says, and remembers the last query. */
class FakeSpanStore implements SpanStore {
    final List<Span> spans = new ArrayList<>();
    SpanQuery lastQuery;
    String lastTraceId;
    TraceQuery lastTraceQuery;
    long[] lastRange;
    RuntimeException failure;
    Map<String, Long> counters = Map.of();

    @Override
    public Map<String, Long> storeCounters() {
        return counters;
    }

    @Override
    public List<Span> find(SpanQuery query) {
        lastQuery = query;
        if (failure != null) {
            throw failure;
        }
        return spans.stream()
                .filter(s -> query.protocol() == null || query.protocol().equals(s.protocol()))
                .filter(s -> query.endpoint() == null || query.endpoint().equals(s.endpoint()))
                .filter(s -> query.tgid() == 0 || query.tgid() == s.tgid())
                .sorted(Comparator.comparingLong(Span::startNs).reversed())
                .limit(query.limit())
                .toList();
    }

    @Override
    public List<Span> trace(String traceId) {
        lastTraceId = traceId;
        return spans.stream().filter(s -> Objects.equals(traceId, s.traceId()))
                .sorted(Comparator.comparingLong(Span::startNs)).toList();
    }

    @Override
    public long size() {
        return spans.size();
    }

    @Override
    public List<TraceSummary> traces(TraceQuery query) {
        lastTraceQuery = query;
        return TraceAnalysis.traces(spans, query);
    }

    @Override
    public List<DependencyLink> dependencies(long startNs, long endNs) {
        lastRange = new long[] {startNs, endNs};
        return TraceAnalysis.dependencies(spans, startNs, endNs);
    }

    @Override
    public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
        lastRange = new long[] {startNs, endNs};
        return TraceAnalysis.endpointLatency(spans, service, startNs, endNs);
    }
}
