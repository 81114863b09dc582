package org.deeptrace.pipeline.internal.core;

import java.util.function.Consumer;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.pipeline.internal.trace.RequestSequences;

/** Turns a paired request and response into a span (contract section 3). */
final class SpanAssembler {
    private final Counters counters;
    private final RequestSequences sequences;
    private final Consumer<Span> next;

    SpanAssembler(Counters counters, RequestSequences sequences, Consumer<Span> next) {
        this.counters = counters;
        this.sequences = sequences;
        this.next = next;
    }

    /**
     * @param requestDirection how the request travelled: INGRESS means this process served it
     * @param response null when none was seen; the span then ends at the request's last byte
     * @param requestSeq TCP sequence number of the request's first byte, or -1 when not captured
     * @param sequence position of the exchange on its connection, to keep span ids unique
     */
    void exchange(ConnectionKey key, String comm, ParsedMessage request, ParsedMessage response,
            Direction requestDirection, long startNs, long endNs, int tid, long requestSeq, long sequence) {
        boolean client = requestDirection == Direction.EGRESS;
        String host = key.host();
        ResponseStatus status = response == null ? ResponseStatus.UNKNOWN
                : response.responseStatus() == null ? ResponseStatus.UNKNOWN : response.responseStatus();
        Span span = new Span(
                SpanIds.of(host, key, startNs, client, sequence),
                null,
                null,
                client ? SpanKind.CLIENT : SpanKind.SERVER,
                host,
                key.tgid(),
                tid,
                comm,
                request.protocol(),
                key.l4(),
                key.local(),
                key.remote(),
                startNs,
                endNs,
                request.size(),
                response == null ? 0 : response.size(),
                request.endpoint(),
                request.requestType(),
                request.requestResource(),
                status,
                response == null ? null : response.responseCode(),
                firstNonNull(request.traceId(), response == null ? null : response.traceId()),
                firstNonNull(request.xRequestId(), response == null ? null : response.xRequestId()),
                null);
        counters.increment("spans." + span.protocol());
        sequences.put(span.spanId(), requestSeq);
        next.accept(span);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
