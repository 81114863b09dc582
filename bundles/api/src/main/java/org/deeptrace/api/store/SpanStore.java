package org.deeptrace.api.store;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds stored spans; registered as an OSGi service by a store bundle. When several stores are registered,
 * consumers (the REST API, the shell) use the one with the highest {@code service.ranking}.
 *
 * <p>A <em>service</em> in the query methods is a span's {@code comm}, the process name. Times are nanoseconds on
 * the spans' clock; {@code 0} as a start and {@link Long#MAX_VALUE} as an end leave the range open.
 *
 * <p>Implemented by store bundles only (a provider type): methods may be added in minor versions.
 */
@ProviderType
public interface SpanStore {

    /** Matching spans, newest (by start) first. */
    List<Span> find(SpanQuery query);

    /** All spans of one trace, in start order. */
    List<Span> trace(String traceId);

    /** Number of spans held. */
    long size();

    /**
     * Traces with at least one span matching every criterion of the query, newest (by the trace's first start)
     * first, at most {@code query.limit()}. Each summary describes every stored span of its trace, not only the
     * matching ones.
     *
     * @since 1.1
     */
    List<TraceSummary> traces(TraceQuery query);

    /**
     * The dependency graph of the spans that started in {@code [startNs, endNs]}: edges between processes, sorted
     * by parent then child (see {@link DependencyLinker} for how edges are counted).
     *
     * @since 1.1
     */
    List<DependencyLink> dependencies(long startNs, long endNs);

    /**
     * The latency histogram of each endpoint the service ({@code comm}) served or called, over the spans that
     * started in {@code [startNs, endNs]}, sorted by endpoint then kind. Spans without an endpoint are grouped
     * under their protocol name.
     *
     * @since 1.1
     */
    List<EndpointLatency> endpointLatency(String service, long startNs, long endNs);

    /**
     * The store's own counters (queries answered, requests to other hosts, bytes moved, ...), by dotted name; shown
     * in status output as {@code store.KEY} ({@code /api/status}, {@code deeptrace:status}). Keys should start with
     * a short name of the store ({@code federation.queries}). Called from any thread. Named apart from
     * {@code SpanSender.counters()}: a store that is also a sender (the Lucene and memory stores) implements both
     * interfaces, and two default methods of one signature would conflict.
     *
     * @since 1.2
     */
    default Map<String, Long> storeCounters() {
        return Map.of();
    }
}
