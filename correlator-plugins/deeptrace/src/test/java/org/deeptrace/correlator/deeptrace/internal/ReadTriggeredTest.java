package org.deeptrace.correlator.deeptrace.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class ReadTriggeredTest {

    /**
     * Reads at 0, 100 and 200 µs. The first is followed by its call at 20 µs; the second's next event is a call
     * on another thread (not its handler's); the third is followed by nothing before the window ends.
     */
    @Test
    void theFirstCallIsTheNextEventOnTheReadingThread() {
        List<Span> servers = List.of(span("s0", SpanKind.SERVER, 0, 1), span("s1", SpanKind.SERVER, 100_000, 1),
                span("s2", SpanKind.SERVER, 200_000, 1));
        List<Span> clients = List.of(span("a", SpanKind.CLIENT, 20_000, 1), span("b", SpanKind.CLIENT, 120_000, 2),
                span("c", SpanKind.CLIENT, 150_000, 1));
        assertArrayEquals(new int[] {0, -1, -1}, ReadTriggered.firstCalls(servers, clients));
    }

    @Test
    void aCallAfterTheNextReadIsNotTheFirstCall() {
        List<Span> servers = List.of(span("s0", SpanKind.SERVER, 0, 1), span("s1", SpanKind.SERVER, 10_000, 1));
        List<Span> clients = List.of(span("a", SpanKind.CLIENT, 15_000, 1));
        assertArrayEquals(new int[] {-1, 0}, ReadTriggered.firstCalls(servers, clients));
    }

    /**
     * Endpoint 0 (40 reads) is followed at once by an edge-0 call every time and never by an edge-1 call (a later
     * call of the same handler); endpoint 1 (40 reads) by its edge 2 only 30 times in 40; endpoint 2 has 10 reads.
     */
    @Test
    void anEdgeIsReadTriggeredWhenNearlyEveryReadOfItsEndpointIsFollowedByItsCall() {
        List<Integer> endpoint = new ArrayList<>();
        List<Integer> edgeOfFirst = new ArrayList<>();
        for (int r = 0; r < 40; r++) {
            endpoint.add(0);
            edgeOfFirst.add(0);
            endpoint.add(1);
            edgeOfFirst.add(r < 30 ? 2 : -1);
        }
        for (int r = 0; r < 10; r++) {
            endpoint.add(2);
            edgeOfFirst.add(3);
        }
        boolean[] judged = new boolean[endpoint.size()];
        java.util.Arrays.fill(judged, true);
        boolean[] triggered = ReadTriggered.judge(ints(endpoint), ints(edgeOfFirst), judged, 3,
                new int[] {0, 0, 1, 2});
        assertArrayEquals(new boolean[] {true, false, false, false}, triggered);
    }

    @Test
    void readsThatAreNotJudgedDoNotCount() {
        int[] endpoint = new int[30];
        int[] edgeOfFirst = new int[30];
        boolean[] judged = new boolean[30];
        for (int j = 0; j < 30; j++) {
            judged[j] = j < 15;
        }
        assertArrayEquals(new boolean[] {false}, ReadTriggered.judge(endpoint, edgeOfFirst, judged, 1, new int[1]));
    }

    /** Short windows with 12 reads each: none is judged alone, the second is judged on both (24 reads). */
    @Test
    void shortWindowsAreJudgedOnTheProcesssEarlierWindowsToo() {
        ReadTriggered.Memory memory = new ReadTriggered.Memory();
        int[] endpoint = new int[12];
        int[] edgeOfFirst = new int[12];
        boolean[] judged = new boolean[12];
        java.util.Arrays.fill(judged, true);
        String[] endpoints = {"/c/stock"};
        String[] edges = {"/c/stock" + WindowSolver.EDGE_SEPARATOR + "127.0.0.50:6379 GET"};
        assertArrayEquals(new boolean[] {false},
                ReadTriggered.judge(endpoint, edgeOfFirst, judged, 1, new int[1], endpoints, edges, memory));
        assertArrayEquals(new boolean[] {true},
                ReadTriggered.judge(endpoint, edgeOfFirst, judged, 1, new int[1], endpoints, edges, memory));
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Span span(String id, SpanKind kind, long startNs, int tid) {
        return new Span(id, null, null, kind, "h", 1, tid, "node", "Redis", Transport.TCP, "127.0.0.1:1",
                "127.0.0.1:2", startNs, startNs + 100_000, 10, 10, "GET", "GET", "k", ResponseStatus.OK, null, null,
                null, null);
    }
}
