package org.deeptrace.correlator.fifo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class FifoCorrelatorTest {
    static final String B = "10.0.0.3:5000";
    static final String C = "10.0.0.4:5000";

    final FifoCorrelator fifo = new FifoCorrelator();

    static Span server(String id, long start, long end) {
        return span(id, SpanKind.SERVER, "10.0.0.2:80", "10.0.0.1:" + (1000 + start), start, end);
    }

    static Span client(String id, String peer, long start, long end) {
        return span(id, SpanKind.CLIENT, "10.0.0.2:" + (40000 + start), peer, start, end);
    }

    static Span span(String id, SpanKind kind, String local, String remote, long start, long end) {
        return new Span(id, null, null, kind, "h", 1, 1, "svc", "HTTP1", Transport.TCP, local, remote, start, end, 10, 10,
                "/", "GET", "/", null, null, null, null, null);
    }

    Map<String, Decision> run(List<Span> clients, List<Span> servers, Map<String, List<Span>> earlier) {
        Map<String, Decision> out = new HashMap<>();
        for (Decision d : fifo.correlate(new CorrelationWindow(1, clients, servers, earlier))) {
            out.put(d.clientSpanId(), d);
        }
        return out;
    }

    @Test
    void concurrentRequestsTakeTheEarliestFreeServerPerPeer() {
        // Two requests in flight; each calls B then C. FIFO gives the first B and C calls to s1, the next to s2.
        List<Span> servers = List.of(server("s1", 0, 100), server("s2", 5, 100));
        List<Span> clients = List.of(
                client("b1", B, 10, 20), client("b2", B, 12, 22),
                client("c1", C, 30, 40), client("c2", C, 31, 41));
        Map<String, Decision> d = run(clients, servers, Map.of());

        assertEquals("s1", d.get("b1").parentSpanId());
        assertEquals("s2", d.get("b2").parentSpanId());
        assertEquals("s1", d.get("c1").parentSpanId());
        assertEquals("s2", d.get("c2").parentSpanId());
        assertEquals(0.5, d.get("b1").score(), 1e-9, "two servers were free for B");
        assertEquals(1.0, d.get("b2").score(), 1e-9, "only s2 was still free for B");
        assertEquals(2, d.get("b1").candidates());
    }

    @Test
    void aServerOnlyParentsClientsItEncloses() {
        List<Span> servers = List.of(server("early", 0, 50), server("late", 60, 200));
        Map<String, Decision> d = run(List.of(client("x", B, 70, 80), client("outside", B, 40, 55)), servers, Map.of());

        assertEquals("late", d.get("x").parentSpanId());
        assertNull(d.get("outside").parentSpanId(), "ends after 'early' ends, starts before 'late' starts");
        assertEquals(0, d.get("outside").candidates());
    }

    @Test
    void callsDecidedInEarlierWindowsCount() {
        Span s1 = server("s1", 0, 100);
        Span s2 = server("s2", 5, 100);
        Span previous = client("b0", B, 10, 20);
        Map<String, Decision> d = run(List.of(client("b1", B, 50, 60)), List.of(s1, s2), Map.of("s1", List.of(previous)));

        assertEquals("s2", d.get("b1").parentSpanId());
    }

    @Test
    void noFreeServerMeansNoParent() {
        Map<String, Decision> d = run(List.of(client("b1", B, 10, 20), client("b2", B, 30, 40)),
                List.of(server("s1", 0, 100)), Map.of());

        assertEquals("s1", d.get("b1").parentSpanId());
        assertNull(d.get("b2").parentSpanId(), "s1 already called B");
        assertEquals(1, d.get("b2").candidates());
    }
}
