package org.deeptrace.correlator.delay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class DelayCorrelatorTest {
    static final String B = "10.0.0.3:5000";
    static final long US = 1000;

    final DelayCorrelator delay = new DelayCorrelator();
    int next;

    Span server(long startUs, long endUs) {
        return span("s" + next++, SpanKind.SERVER, "10.0.0.2:80", "10.0.0.1:1000", startUs, endUs);
    }

    Span client(long startUs, long endUs) {
        return span("c" + next++, SpanKind.CLIENT, "10.0.0.2:40000", B, startUs, endUs);
    }

    static Span span(String id, SpanKind kind, String local, String remote, long startUs, long endUs) {
        return new Span(id, null, null, kind, "h", 7, 7, "svc", "HTTP1", Transport.TCP, local, remote, startUs * US,
                endUs * US, 10, 10, "/", "GET", "/", null, null, null, null, null);
    }

    Map<String, Decision> run(List<Span> clients, List<Span> servers, Map<String, List<Span>> earlier) {
        Map<String, Decision> out = new HashMap<>();
        for (Decision d : delay.correlate(new CorrelationWindow(7, clients, servers, earlier))) {
            out.put(d.clientSpanId(), d);
        }
        return out;
    }

    /** Unambiguous windows: the child starts 20 µs or 200 µs into its parent and ends 100 µs before it. */
    void learn(int windows) {
        for (int k = 0; k < windows; k++) {
            long t = k * 10_000L;
            long startOffset = k % 2 == 0 ? 20 : 200;
            long duration = 300 + (k % 7) * 100;
            Span s = server(t, t + duration);
            Span c = client(t + startOffset, t + duration - 100);
            assertEquals(s.spanId(), run(List.of(c), List.of(s), Map.of()).get(c.spanId()).parentSpanId());
        }
    }

    @Test
    void aLaterRequestWhoseCallStartsFirstKeepsItsCall() {
        learn(40);
        long t = 1_000_000;
        Span s1 = server(t, t + 1000);
        Span s2 = server(t + 10, t + 500);
        Span ofS2 = client(t + 30, t + 400); // 20 µs after s2 starts, 100 µs before it ends
        Span ofS1 = client(t + 200, t + 900);
        Map<String, Decision> d = run(List.of(ofS2, ofS1), List.of(s1, s2), Map.of());

        assertEquals(s2.spanId(), d.get(ofS2.spanId()).parentSpanId(), "FIFO would give it to s1");
        assertEquals(s1.spanId(), d.get(ofS1.spanId()).parentSpanId());
        assertEquals(2, d.get(ofS2.spanId()).candidates());
        assertTrue(d.get(ofS2.spanId()).score() > 0.9, "the offsets leave little doubt: " + d.get(ofS2.spanId()));
    }

    @Test
    void withoutHistoryTheFirstWindowStillMatchesEveryCall() {
        Span s1 = server(0, 1000);
        Span s2 = server(10, 1010);
        Span a = client(20, 900);
        Span b = client(30, 910);
        Map<String, Decision> d = run(List.of(a, b), List.of(s1, s2), Map.of());

        assertEquals(s1.spanId(), d.get(a.spanId()).parentSpanId());
        assertEquals(s2.spanId(), d.get(b.spanId()).parentSpanId());
    }

    @Test
    void aCallOutsideEveryServerHasNoParent() {
        Span s1 = server(0, 100);
        Span c = client(50, 150);
        Decision d = run(List.of(c), List.of(s1), Map.of()).get(c.spanId());

        assertNull(d.parentSpanId());
        assertEquals(0, d.candidates());
        assertEquals(0, d.score());
    }

    @Test
    void aParentThatAlreadyCalledThePeerIsLessLikely() {
        learn(40);
        long t = 2_000_000;
        Span s1 = server(t, t + 1000);
        Span s2 = server(t + 5, t + 1005);
        Span before = client(t + 20, t + 30);
        Span c = client(t + 25, t + 905);
        Map<String, Decision> d = run(List.of(c), List.of(s1, s2), Map.of(s1.spanId(), List.of(before)));

        assertEquals(s2.spanId(), d.get(c.spanId()).parentSpanId(), "s1 called B once already, as every parent does");
    }
}
