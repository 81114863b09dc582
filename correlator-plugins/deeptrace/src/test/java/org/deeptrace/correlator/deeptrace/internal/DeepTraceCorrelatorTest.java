package org.deeptrace.correlator.deeptrace.internal;

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

class DeepTraceCorrelatorTest {
    static final String B = "10.0.0.3:5000";
    static final long US = 1000;

    final DeepTraceCorrelator deeptrace = new DeepTraceCorrelator();
    int next;

    Span server(long startUs, long endUs) {
        return span("s" + next++, SpanKind.SERVER, "10.0.0.2:80", "10.0.0.1:1000", startUs, endUs);
    }

    Span client(long startUs, long endUs) {
        return span("c" + next++, SpanKind.CLIENT, "10.0.0.2:40000", B, startUs, endUs);
    }

    static Span span(String id, SpanKind kind, String local, String remote, long startUs, long endUs) {
        return span(id, kind, local, remote, startUs, endUs, null);
    }

    static Span span(String id, SpanKind kind, String local, String remote, long startUs, long endUs,
            String requestId) {
        return new Span(id, null, null, kind, "h", 7, 7, "svc", "HTTP1", Transport.TCP, local, remote, startUs * US,
                endUs * US, 10, 10, "/", "GET", "/", null, null, null, requestId, null);
    }

    Map<String, Decision> run(List<Span> clients, List<Span> servers, Map<String, List<Span>> earlier) {
        Map<String, Decision> out = new HashMap<>();
        for (Decision d : deeptrace.correlate(new CorrelationWindow(7, clients, servers, earlier))) {
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

    @Test
    void aForwardedRequestIdOutweighsArrivalOrder() {
        // Five requests arrive within 5 µs with the same timing; the calls of the 3rd and 4th leave swapped.
        List<Span> servers = new java.util.ArrayList<>();
        List<Span> clients = new java.util.ArrayList<>();
        int[] callOrder = {0, 1, 3, 2, 4};
        for (int k = 0; k < 5; k++) {
            servers.add(span("s" + k, SpanKind.SERVER, "10.0.0.2:80", "10.0.0.1:" + (1000 + k), k, 1000 + k,
                    "req-" + k + "-7f3a9c" + (k * 7919)));
        }
        for (int pos = 0; pos < 5; pos++) {
            int k = callOrder[pos];
            clients.add(span("c" + k, SpanKind.CLIENT, "10.0.0.2:" + (40000 + k), B, 10 + pos, 900 + pos,
                    "req-" + k + "-7f3a9c" + (k * 7919)));
        }
        Map<String, Decision> d = run(clients, servers, Map.of());

        for (int k = 0; k < 5; k++) {
            assertEquals("s" + k, d.get("c" + k).parentSpanId(), "call of request " + k);
        }
    }

    @Test
    void aConstantRedactedIdLinksNothing() {
        // Every span carries the same redacted id: the similarity must not favour any parent, timing decides.
        Span s1 = span("s1", SpanKind.SERVER, "10.0.0.2:80", "10.0.0.1:1", 0, 1000, "xxxxxxxx-xxxx");
        Span s2 = span("s2", SpanKind.SERVER, "10.0.0.2:80", "10.0.0.1:2", 10, 1010, "xxxxxxxx-xxxx");
        Span a = span("a", SpanKind.CLIENT, "10.0.0.2:40001", B, 20, 900, "xxxxxxxx-xxxx");
        Span b = span("b", SpanKind.CLIENT, "10.0.0.2:40002", B, 30, 910, "xxxxxxxx-xxxx");
        Map<String, Decision> d = run(List.of(a, b), List.of(s1, s2), Map.of());

        assertEquals("s1", d.get("a").parentSpanId());
        assertEquals("s2", d.get("b").parentSpanId());
    }

    @Test
    void idfIgnoresFieldsEverySpanShares() {
        Span x = span("x", SpanKind.CLIENT, "l", "r", 0, 1, "same");
        Span y = span("y", SpanKind.CLIENT, "l", "r", 0, 1, "same");
        FieldVectors.Vector[] v = FieldVectors.of(List.of(x, y));
        assertTrue(Double.isNaN(v[0].cosine(v[1])), "nothing distinctive: no evidence either way");
        Span z = span("z", SpanKind.CLIENT, "l", "r", 0, 1, "other-id-42");
        v = FieldVectors.of(List.of(x, y, z, span("w", SpanKind.SERVER, "l", "r", 0, 1, "other-id-42")));
        assertEquals(1.0, v[2].cosine(v[3]), 1e-9);
        assertEquals(0.0, v[0].cosine(v[2]), 1e-9);
    }

    static Span onThread(String id, SpanKind kind, String remote, long startUs, long endUs, int tid) {
        return new Span(id, null, null, kind, "h", 7, tid, "svc", "HTTP1", Transport.TCP, "10.0.0.2:80", remote,
                startUs * US, endUs * US, 10, 10, "/", "GET", "/", null, null, null, null, null);
    }

    @Test
    void aThreadPerRequestServerTeachesThreadAffinity() {
        // Pairs of concurrent requests, each handled by its own thread which also makes the call; timing is the
        // same for both, so only the thread can tell which call is whose, once lone requests have shown that a
        // parent's call is on its thread.
        for (int k = 0; k < 60; k++) {
            long t = k * 10_000L;
            int first = 100 + 2 * k;
            int second = first + 1;
            boolean swapped = k % 2 == 1;
            Span s1 = onThread("p" + k + "a", SpanKind.SERVER, "10.0.0.1:1", t, t + 1000, first);
            Span s2 = onThread("p" + k + "b", SpanKind.SERVER, "10.0.0.1:2", t + 2, t + 1002, second);
            Span c1 = onThread("c" + k + "a", SpanKind.CLIENT, B, t + 20, t + 900, swapped ? second : first);
            Span c2 = onThread("c" + k + "b", SpanKind.CLIENT, B, t + 21, t + 901, swapped ? first : second);
            if (k % 3 == 0) { // now and then a request alone: its call is on its thread
                run(List.of(onThread("c" + k + "x", SpanKind.CLIENT, B, t + 5020, t + 5900, 7)),
                        List.of(onThread("p" + k + "x", SpanKind.SERVER, "10.0.0.1:3", t + 5000, t + 6000, 7)), Map.of());
            }
            Map<String, Decision> d = run(List.of(c1, c2), List.of(s1, s2), Map.of());
            if (k >= 40) { // learned: the call on the second request's thread belongs to the second request
                String expect1 = swapped ? s2.spanId() : s1.spanId();
                assertEquals(expect1, d.get(c1.spanId()).parentSpanId(), "window " + k);
                assertEquals(swapped ? s1.spanId() : s2.spanId(), d.get(c2.spanId()).parentSpanId(), "window " + k);
            }
        }
    }

    static Span call(String id, String command, long startUs, long endUs) {
        return new Span(id, null, null, SpanKind.CLIENT, "h", 7, 9, "node", "Redis", Transport.TCP,
                "10.0.0.2:40000", "10.0.0.5:6379", startUs * US, endUs * US, 10, 10, command, command, "k", null, null,
                null, null, null);
    }

    /**
     * An event loop (one thread) with one pipelined connection to a cache, as Node.js does it. A {@code /chain}
     * request's handler writes a SET as soon as the request is read (15–35 µs later, before the loop reads the next
     * request), and a GET once the SET's reply is back; a {@code /stock} request's handler writes a GET at once.
     * Requests come in bursts; the replies of a burst arrive in one read, the handlers then write their GETs in the
     * order of their SETs, and the responses leave one after another. Start offsets cannot tell 18 µs from 37 µs;
     * that the SET is the next thing the loop did after reading its request can, and so can the rule that a
     * request makes one call of a kind until the data shows otherwise.
     */
    @Test
    void anEventLoopsCallsFollowTheReadOfTheirRequest() {
        java.util.Random random = new java.util.Random(5);
        List<Span> servers = new java.util.ArrayList<>();
        List<Span> clients = new java.util.ArrayList<>();
        Map<String, String> parentOf = new HashMap<>();
        for (int burst = 0; burst < 12; burst++) {
            long t = burst * 10_000L;
            // between bursts, the load is low: a lone request of each kind, its calls unambiguous
            for (int r = 0; r < 2; r++) {
                long lone = t + 5_000 + 2_000 * r;
                String id = "lone" + burst + "r" + r;
                servers.add(new Span(id, null, null, SpanKind.SERVER, "h", 7, 9, "node", "HTTP1", Transport.TCP,
                        "10.0.0.2:80", "10.0.0.1:20", lone * US, (lone + 700) * US, 10, 10,
                        r == 0 ? "/chain" : "/stock", "GET", "/", null, null, null, null, null));
                long delay = 15 + random.nextInt(21);
                clients.add(call("first-" + id, r == 0 ? "SET" : "GET", lone + delay, lone + 300));
                parentOf.put("first-" + id, id);
                if (r == 0) {
                    clients.add(call("get-" + id, "GET", lone + 310, lone + 600));
                    parentOf.put("get-" + id, id);
                }
            }
            long read = t;
            List<Span> chains = new java.util.ArrayList<>();
            for (int r = 0; r < 5; r++) {
                boolean chain = r % 2 == 0;
                long delay = 15 + random.nextInt(21);
                String id = "b" + burst + "r" + r;
                Span p = new Span(id, null, null, SpanKind.SERVER, "h", 7, 9, "node", "HTTP1", Transport.TCP,
                        "10.0.0.2:80", "10.0.0.1:" + (10 + r), read * US, (t + 2000 + 150 * r) * US, 10, 10,
                        chain ? "/chain" : "/stock", "GET", "/", null, null, null, null, null);
                Span first = call("first-" + id, chain ? "SET" : "GET", read + delay, t + 1000);
                servers.add(p);
                clients.add(first);
                parentOf.put(first.spanId(), id);
                if (chain) {
                    chains.add(p);
                }
                read += delay + 3 + random.nextInt(10);
            }
            for (int k = 0; k < chains.size(); k++) {
                Span get = call("get-" + chains.get(k).spanId(), "GET", t + 1010 + 10 * k, t + 1500);
                clients.add(get);
                parentOf.put(get.spanId(), chains.get(k).spanId());
            }
        }
        clients.sort(java.util.Comparator.comparingLong(Span::startNs));
        servers.sort(java.util.Comparator.comparingLong(Span::startNs));
        Map<String, Decision> d = run(clients, servers, Map.of());
        for (Span c : clients) {
            assertEquals(parentOf.get(c.spanId()), d.get(c.spanId()).parentSpanId(), c.spanId());
        }
    }
}
