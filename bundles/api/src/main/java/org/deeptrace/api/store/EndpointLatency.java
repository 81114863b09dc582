package org.deeptrace.api.store;

import java.util.Objects;
import org.deeptrace.api.model.SpanKind;

/**
 * The latency distribution of one endpoint of a service, as served ({@link SpanKind#SERVER}) or called
 * ({@link SpanKind#CLIENT}).
 *
 * @param service the {@code comm}
 * @param endpoint the endpoint, or the protocol name for spans without one
 * @param kind whether the service served or called the endpoint
 * @param histogram the span durations; a copy owned by the caller
 * @param errors spans among them that answered with an error
 */
public record EndpointLatency(String service, String endpoint, SpanKind kind, LatencyHistogram histogram,
        long errors) {

    public EndpointLatency {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(histogram, "histogram");
    }
}
