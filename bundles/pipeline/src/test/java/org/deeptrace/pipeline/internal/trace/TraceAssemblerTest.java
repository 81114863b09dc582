package org.deeptrace.pipeline.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.pipeline.internal.core.Counters;
import org.junit.jupiter.api.Test;

class TraceAssemblerTest {
    private static final long MS = 1_000_000L;
    private static final long HOLD = 1_000 * MS;

    private final Counters counters = new Counters();
    private final List<Span> out = new ArrayList<>();
    private final TraceAssembler assembler = new TraceAssembler("h1", HOLD, counters, out::addAll);

    static Span span(String id, String parent, SpanKind kind, int tgid, Transport l4, String local, String remote,
            long startMs, long endMs) {
        return new Span(id, parent, null, kind, "h1", tgid, tgid, "p" + tgid, l4 == Transport.UDP ? "DNS" : "HTTP1",
                l4, local, remote, startMs * MS, endMs * MS, 10, 20, null, "GET", "/", ResponseStatus.OK, 200, null,
                null, parent == null ? null : new Correlation("test", 1, 1));
    }

    static Span server(String id, int tgid, String local, String remote, long startMs, long endMs) {
        return span(id, null, SpanKind.SERVER, tgid, Transport.TCP, local, remote, startMs, endMs);
    }

    static Span client(String id, String parent, int tgid, String local, String remote, long startMs, long endMs) {
        return span(id, parent, SpanKind.CLIENT, tgid, Transport.TCP, local, remote, startMs, endMs);
    }

    /** A (tgid 1) serves an outside request, resolves a name over DNS, calls B (2), which calls C (3). */
    static Map<String, List<Span>> threeProcesses(long offsetMs, String prefix) {
        long o = offsetMs;
        int port = 40000 + (int) offsetMs % 1000;
        Span ra = server(prefix + "a-srv", 1, "10.0.0.1:80", "10.0.0.9:5555", o, o + 1000);
        Span dns = span(prefix + "a-dns", ra.spanId(), SpanKind.CLIENT, 1, Transport.UDP, "10.0.0.1:50000",
                "10.0.0.53:53", o + 10, o + 20);
        Span ca = client(prefix + "a-cli", ra.spanId(), 1, "10.0.0.1:" + port, "10.0.0.2:80", o + 100, o + 500);
        Span sb = server(prefix + "b-srv", 2, "10.0.0.2:80", "10.0.0.1:" + port, o + 110, o + 490);
        Span cb = client(prefix + "b-cli", sb.spanId(), 2, "10.0.0.2:" + (port + 1), "10.0.0.3:80", o + 200, o + 400);
        Span sc = server(prefix + "c-srv", 3, "10.0.0.3:80", "10.0.0.2:" + (port + 1), o + 210, o + 390);
        return Map.of("A", List.of(ra, dns, ca), "B", List.of(sb, cb), "C", List.of(sc));
    }

    private Map<String, Span> byId() {
        Map<String, Span> m = new HashMap<>();
        out.forEach(s -> m.put(s.spanId(), s));
        return m;
    }

    @Test
    void threeProcessesShareOneTraceAndServerSpansGetTheirClientAsParent() {
        Map<String, List<Span>> p = threeProcesses(0, "");
        // the worst order: leaves first, each process in its own batch
        assembler.spans(p.get("C"));
        assembler.spans(p.get("B"));
        assembler.spans(p.get("A"));
        assembler.flush();

        Map<String, Span> s = byId();
        assertEquals(6, out.size());
        assertEquals("a-cli", s.get("b-srv").parentSpanId());
        assertEquals("b-cli", s.get("c-srv").parentSpanId());
        assertNull(s.get("b-srv").correlation(), "an exact link, not an inference");
        assertNull(s.get("a-srv").parentSpanId());
        Set<String> traces = new HashSet<>();
        out.forEach(x -> traces.add(x.traceId()));
        assertEquals(Set.of(TraceIds.of("h1", "a-srv")), traces);
        assertTrue(s.get("a-srv").traceId().matches("[0-9a-f]{32}"));
        assertEquals(2, counters.get("traces.links"));
        assertEquals(1, counters.get("traces.roots"));
        assertEquals(6, counters.get("traces.spans"));
    }

    @Test
    void replayGivesTheSameIdsAndUnrelatedRequestsDifferentOnes() {
        List<String> first = runTwoRequests();
        out.clear();
        TraceAssembler again = new TraceAssembler("h1", HOLD, new Counters(), out::addAll);
        for (List<Span> batch : twoRequests()) {
            again.spans(batch);
        }
        again.flush();
        List<String> second = new ArrayList<>();
        out.forEach(x -> second.add(x.spanId() + "=" + x.traceId()));
        assertEquals(first, second);
        assertNotEquals(TraceIds.of("h1", "a-srv"), TraceIds.of("h1", "x-a-srv"));
        assertNotEquals(TraceIds.of("h1", "a-srv"), TraceIds.of("h2", "a-srv"));
    }

    private List<String> runTwoRequests() {
        for (List<Span> batch : twoRequests()) {
            assembler.spans(batch);
        }
        assembler.flush();
        Map<String, Span> s = byId();
        assertEquals(12, out.size());
        for (Span x : out) {
            String root = x.spanId().startsWith("x-") ? "x-a-srv" : "a-srv";
            assertEquals(s.get(root).traceId(), x.traceId(), x.spanId());
        }
        assertNotEquals(s.get("a-srv").traceId(), s.get("x-a-srv").traceId());
        List<String> ids = new ArrayList<>();
        out.forEach(x -> ids.add(x.spanId() + "=" + x.traceId()));
        return ids;
    }

    /** Two overlapping requests on different connections. */
    private static List<List<Span>> twoRequests() {
        Map<String, List<Span>> one = threeProcesses(0, "");
        Map<String, List<Span>> two = threeProcesses(50, "x-");
        return List.of(one.get("B"), two.get("A"), two.get("C"), one.get("A"), one.get("C"), two.get("B"));
    }

    @Test
    void keepAliveExchangesLinkToTheirOwnClientExchange() {
        // three requests to A, each calling B over the same kept-alive connection; B's stamps trail A's by 10 µs
        List<Span> a = new ArrayList<>();
        List<Span> b = new ArrayList<>();
        long[][] exchanges = {{0, 100}, {101, 200}, {201, 300}};
        for (int i = 0; i < exchanges.length; i++) {
            long st = exchanges[i][0];
            long en = exchanges[i][1];
            a.add(server("root" + i, 1, "10.0.0.1:80", "10.0.0.9:" + (6000 + i), st, en + 1));
            a.add(client("cli" + i, "root" + i, 1, "10.0.0.1:40000", "10.0.0.2:80", st, en));
            b.add(new Span("srv" + i, null, null, SpanKind.SERVER, "h1", 2, 2, "b", "HTTP1", Transport.TCP,
                    "10.0.0.2:80", "10.0.0.1:40000", st * MS + 10_000, en * MS + 10_000, 1, 1, null, null, null,
                    ResponseStatus.OK, 200, null, null, null));
        }
        assembler.spans(b);
        assembler.spans(a);
        assembler.flush();
        Map<String, Span> s = byId();
        for (int i = 0; i < exchanges.length; i++) {
            assertEquals("cli" + i, s.get("srv" + i).parentSpanId());
            assertEquals(TraceIds.of("h1", "root" + i), s.get("srv" + i).traceId());
        }
        assertEquals(3, counters.get("traces.links"));
    }

    @Test
    void aClientWithoutResponseStillLinksAndTheNextShortExchangeIsNotTakenForIt() {
        // from the shared dataset: A's request lost its response (the span ends at its request's last byte); B served
        // it 53 µs later; 590 µs after that, A sent the next request on the same connection
        Span lost = new Span("lost", null, null, SpanKind.CLIENT, "h1", 1, 1, "a", "HTTP1", Transport.TCP,
                "10.0.0.1:40000", "10.0.0.2:80", 783_291, 783_291, 1, 0, null, null, null, ResponseStatus.UNKNOWN,
                null, null, null, null);
        Span next = new Span("next", null, null, SpanKind.CLIENT, "h1", 1, 1, "a", "HTTP1", Transport.TCP,
                "10.0.0.1:40000", "10.0.0.2:80", 1_372_648, 1_569_981, 1, 1, null, null, null, ResponseStatus.OK,
                200, null, null, null);
        Span served = new Span("served", null, null, SpanKind.SERVER, "h1", 2, 2, "b", "HTTP1", Transport.TCP,
                "10.0.0.2:80", "10.0.0.1:40000", 836_585, 1_197_168, 1, 1, null, null, null, ResponseStatus.OK, 200,
                null, null, null);
        Span servedNext = new Span("served-next", null, null, SpanKind.SERVER, "h1", 2, 2, "b", "HTTP1",
                Transport.TCP, "10.0.0.2:80", "10.0.0.1:40000", 1_390_000, 1_560_000, 1, 1, null, null, null,
                ResponseStatus.OK, 200, null, null, null);
        assembler.spans(List.of(served, servedNext));
        assembler.spans(List.of(lost, next));
        assembler.flush();
        Map<String, Span> s = byId();
        assertEquals("lost", s.get("served").parentSpanId());
        assertEquals("next", s.get("served-next").parentSpanId());
        assertNotEquals(s.get("served").traceId(), s.get("served-next").traceId());
    }

    @Test
    void spansWaitForTheirHoldThenLateSpansJoinTheEmittedTrace() {
        Map<String, List<Span>> p = threeProcesses(0, "");
        assembler.spans(p.get("A"));
        assembler.advance(1000 * MS + HOLD - 1);
        assertEquals(List.of("a-dns", "a-cli"), ids(), "a-srv ends at 1000 ms: still held");
        assembler.advance(1000 * MS + HOLD);
        assertEquals(3, out.size());
        String trace = TraceIds.of("h1", "a-srv");
        out.forEach(x -> assertEquals(trace, x.traceId()));
        assertEquals(0, assembler.held());

        // B's and C's spans come after A's tree left: they still join it, through the emitted client span
        out.clear();
        assembler.spans(p.get("B"));
        assembler.spans(p.get("C"));
        assembler.advance(1000 * MS + 2 * HOLD);
        Map<String, Span> s = byId();
        assertEquals(3, out.size());
        assertEquals("a-cli", s.get("b-srv").parentSpanId());
        out.forEach(x -> assertEquals(trace, x.traceId(), x.spanId()));
        assertEquals(1, counters.get("traces.late_joins"));
        assertEquals(1, counters.get("traces.roots"));
    }

    @Test
    void emittedSpansAreForgottenAfterTheirRetention() {
        Map<String, List<Span>> p = threeProcesses(0, "");
        assembler.spans(p.get("A"));
        assembler.advance(1000 * MS + HOLD);
        assembler.advance(100_000 * MS);
        out.clear();
        // far too late: nothing remembers A's client span, so B's request roots its own trace
        assembler.spans(p.get("B"));
        assembler.advance(200_000 * MS);
        Map<String, Span> s = byId();
        assertNull(s.get("b-srv").parentSpanId());
        assertEquals(TraceIds.of("h1", "b-srv"), s.get("b-cli").traceId());
        assertEquals(0, assembler.held());
    }

    @Test
    void aParentNeitherHeldNorRememberedMakesItsChildARoot() {
        Span orphan = client("orphan", "gone", 1, "10.0.0.1:40000", "10.0.0.2:80", 0, 10);
        assembler.spans(List.of(orphan));
        assembler.flush();
        assertEquals("gone", out.get(0).parentSpanId());
        assertEquals(TraceIds.of("h1", "orphan"), out.get(0).traceId());
        assertEquals(1, counters.get("traces.unknown_parents"));
    }

    @Test
    void aParentCycleFromBadInputEndsInOneTraceInsteadOfALoop() {
        Span x = client("x", "y", 1, "10.0.0.1:40000", "10.0.0.2:80", 0, 10);
        Span y = client("y", "x", 1, "10.0.0.1:40001", "10.0.0.2:80", 0, 10);
        assembler.spans(List.of(x, y));
        assembler.flush();
        assertEquals(2, out.size());
        assertEquals(out.get(0).traceId(), out.get(1).traceId());
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        out.forEach(x -> ids.add(x.spanId()));
        return ids;
    }
}
