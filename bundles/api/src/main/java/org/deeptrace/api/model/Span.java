package org.deeptrace.api.model;

import java.util.Objects;

/**
 * One request/response exchange seen from one process (contract section 3).
 *
 * @param parentSpanId the span that caused this one, set by correlation; null until then
 * @param traceId 32 hex digits set by trace assembly; null until then
 * @param tid thread that carried the request's first byte (not in the contract's table; readers ignore it)
 * @param startNs exactly the {@code ts_ns} of the capture record that carried the request's first byte
 * @param endNs exactly the {@code ts_ns} of the capture record that carried the response's last byte
 * @param traceIdHeader the trace id found in the request's headers
 * @param correlation why the parent was chosen; null when no correlator decided
 */
public record Span(
        String spanId,
        String parentSpanId,
        String traceId,
        SpanKind kind,
        String host,
        int tgid,
        int tid,
        String comm,
        String protocol,
        Transport l4,
        String local,
        String remote,
        long startNs,
        long endNs,
        long reqSize,
        long respSize,
        String endpoint,
        String requestType,
        String requestResource,
        ResponseStatus responseStatus,
        Integer responseCode,
        String traceIdHeader,
        String xRequestId,
        Correlation correlation) {

    public Span {
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        if (endNs < startNs) {
            throw new IllegalArgumentException("span ends before it starts: " + startNs + " > " + endNs);
        }
    }

    /** Duration in nanoseconds. */
    public long durationNs() {
        return endNs - startNs;
    }

    /** True when {@code other} starts no earlier and ends no later than this span. */
    public boolean encloses(Span other) {
        return startNs <= other.startNs && other.endNs <= endNs;
    }

    /** This span with the parent chosen by correlation. */
    public Span withParent(String parentSpanId, Correlation correlation) {
        return new Span(spanId, parentSpanId, traceId, kind, host, tgid, tid, comm, protocol, l4, local, remote,
                startNs, endNs, reqSize, respSize, endpoint, requestType, requestResource, responseStatus,
                responseCode, traceIdHeader, xRequestId, correlation);
    }

    /** This span placed in a trace. */
    public Span withTraceId(String traceId) {
        return new Span(spanId, parentSpanId, traceId, kind, host, tgid, tid, comm, protocol, l4, local, remote,
                startNs, endNs, reqSize, respSize, endpoint, requestType, requestResource, responseStatus,
                responseCode, traceIdHeader, xRequestId, correlation);
    }
}
