package org.deeptrace.api.store;

import java.util.List;

/**
 * One trace at a glance.
 *
 * @param traceId 32 hex digits
 * @param rootService the {@code comm} of the root span: the earliest span whose parent is not stored
 * @param rootEndpoint the root span's endpoint, null when its protocol has none
 * @param services every {@code comm} in the trace, sorted
 * @param spanCount stored spans of the trace
 * @param startNs the earliest span start
 * @param durationNs from the earliest start to the latest end
 * @param error true when a span of the trace answered with an error ({@link TraceAnalysis#isError})
 */
public record TraceSummary(String traceId, String rootService, String rootEndpoint, List<String> services,
        int spanCount, long startNs, long durationNs, boolean error) {

    public TraceSummary {
        services = List.copyOf(services);
    }
}
