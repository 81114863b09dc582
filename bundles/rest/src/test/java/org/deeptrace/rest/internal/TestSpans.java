package org.deeptrace.rest.internal;

import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;

/** Spans for tests: one server span and its client child, both in one trace. */
final class TestSpans {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private TestSpans() {
    }

    static Span server() {
        return new Span("00f067aa0ba902b7", null, TRACE, SpanKind.SERVER, "node-1", 4242, 4243, "café-api", "HTTP1",
                Transport.TCP, "10.0.0.1:8080", "10.0.0.9:51000", 1_000_000_000L, 1_012_500_000L, 120, 512,
                "/orders", "GET", "/orders?id=7", ResponseStatus.OK, 200, null, "req-1", null);
    }

    static Span client() {
        return new Span("b7ad6b7169203331", "00f067aa0ba902b7", TRACE, SpanKind.CLIENT, "node-1", 4242, 4244,
                "café-api", "Redis", Transport.TCP, "10.0.0.1:40000", "10.0.0.2:6379", 1_002_000_000L,
                1_003_000_000L, 30, 8, "GET", "GET", "order:7", ResponseStatus.SERVER_ERROR, null, null, null,
                new Correlation("fifo", 0.75, 2));
    }
}
