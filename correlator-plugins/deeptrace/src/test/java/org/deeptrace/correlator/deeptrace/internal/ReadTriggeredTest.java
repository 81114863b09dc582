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
     * Requests read every 1 ms; kind 0 is written 20 µs after each read (a handler's first call), kind 1 at 600 µs
     * (after a response came back): only kind 0 follows the latest read.
     */
    @Test
    void aCallWrittenRightAfterEveryReadIsReadTriggered() {
        List<Span> servers = new ArrayList<>();
        List<Span> clients = new ArrayList<>();
        List<Integer> keys = new ArrayList<>();
        List<Integer> latest = new ArrayList<>();
        for (int r = 0; r < 40; r++) {
            long read = r * 1_000_000L;
            servers.add(span("s" + r, SpanKind.SERVER, read));
            clients.add(span("a" + r, SpanKind.CLIENT, read + 20_000));
            keys.add(0);
            latest.add(r);
            clients.add(span("b" + r, SpanKind.CLIENT, read + 600_000));
            keys.add(1);
            latest.add(r);
        }
        boolean[] triggered = ReadTriggered.judge(servers, clients, latest.stream().mapToInt(Integer::intValue).toArray(),
                keys.stream().mapToInt(Integer::intValue).toArray(), 2);
        assertArrayEquals(new boolean[] {true, false}, triggered);
    }

    @Test
    void tooFewCallsAreNotJudged() {
        List<Span> servers = new ArrayList<>();
        List<Span> clients = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            servers.add(span("s" + r, SpanKind.SERVER, r * 1_000_000L));
            clients.add(span("a" + r, SpanKind.CLIENT, r * 1_000_000L + 10_000));
        }
        assertArrayEquals(new boolean[] {false},
                ReadTriggered.judge(servers, clients, new int[] {0, 1, 2, 3, 4}, new int[5], 1));
    }

    private static Span span(String id, SpanKind kind, long startNs) {
        return new Span(id, null, null, kind, "h", 1, 1, "node", "Redis", Transport.TCP, "127.0.0.1:1",
                "127.0.0.1:2", startNs, startNs + 100_000, 10, 10, "GET", "GET", "k", ResponseStatus.OK, null, null,
                null, null);
    }
}
