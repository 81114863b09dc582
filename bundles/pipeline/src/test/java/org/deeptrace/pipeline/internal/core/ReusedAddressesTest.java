package org.deeptrace.pipeline.internal.core;

import static org.deeptrace.pipeline.internal.core.UndecidedBytesTest.ascii;
import static org.deeptrace.pipeline.internal.core.UndecidedBytesTest.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Span;
import org.junit.jupiter.api.Test;

/**
 * A client that opens a connection per request reuses its ports within a minute (about 28,000 ephemeral ports at a
 * few hundred connections per second). Linux lets the new connection take over the old one's TIME-WAIT socket and
 * starts its stream 65,539 sequence numbers past the old one's end; the other side's stream starts anywhere. The new
 * connection must be parsed as one of its own: before, its request waited for 65 KB that never came while its
 * response was read at once, so both were lost or paired with the wrong partner (found on a 60 s capture of the
 * polyglot services at 1,000 requests per second: accuracy fell from 1.00 to 0.79 as ports were reused).
 */
class ReusedAddressesTest extends LinePipelineTest {

    @Test
    void aConnectionReusingTheClientsTimeWaitSocketIsANewConnection() {
        pipeline.accept(rec(100, Direction.INGRESS, 1000, ascii("REQ /a\n")));
        pipeline.accept(rec(150, Direction.EGRESS, 5000, ascii("RES 200\n")));
        // old ingress ended at 1007; FIN 1007; the new ISN is 1008 + 65,537 and its first data byte the next one
        pipeline.accept(rec(200, Direction.INGRESS, 1007 + 65_539, ascii("REQ /b\n")));
        pipeline.accept(rec(250, Direction.EGRESS, 3_000_000_000L, ascii("RES 404\n")));
        pipeline.accept(rec(300, Direction.INGRESS, 1007 + 65_539 + 7, ascii("REQ /c\n")));
        pipeline.accept(rec(350, Direction.EGRESS, 3_000_000_008L, ascii("RES 201\n")));
        pipeline.finish();

        assertEquals(List.of("/a 200 100-150", "/b 404 200-250", "/c 201 300-350"), describe(spans));
        assertEquals(1, counters.get("connections.addresses_reused"));
        assertEquals(0, counters.get("exchanges.unmatched_responses"));
        assertEquals(0, counters.get("stream.gaps"));
    }

    @Test
    void theServersTimeWaitSocketReusedIsANewConnectionToo() {
        // the server closed first: the client's new stream starts anywhere (here close enough to pass for a loss),
        // the server's 65,539 past its old end, and the request is read before the answer is written
        pipeline.accept(rec(100, Direction.INGRESS, 1000, ascii("REQ /a\n")));
        pipeline.accept(rec(150, Direction.EGRESS, 5000, ascii("RES 200\n")));
        pipeline.accept(rec(200, Direction.INGRESS, 1000 + 7 + 40_000, ascii("REQ /b\n")));
        pipeline.accept(rec(250, Direction.EGRESS, 5008 + 65_539, ascii("RES 404\n")));
        pipeline.finish();

        assertEquals(List.of("/a 200 100-150", "/b 404 200-250"), describe(spans));
        assertEquals(1, counters.get("connections.addresses_reused"));
    }

    @Test
    void aNewStreamFarBehindTheOldOneIsANewConnection() {
        // a random initial sequence number below the old stream's: no retransmission reaches back 64 MiB
        pipeline.accept(rec(100, Direction.INGRESS, 200_000_000, ascii("REQ /a\n")));
        pipeline.accept(rec(150, Direction.EGRESS, 5000, ascii("RES 200\n")));
        pipeline.accept(rec(200, Direction.INGRESS, 1000, ascii("REQ /b\n")));
        pipeline.accept(rec(250, Direction.EGRESS, 5008 + 65_539, ascii("RES 404\n")));
        pipeline.finish();

        assertEquals(List.of("/a 200 100-150", "/b 404 200-250"), describe(spans));
        assertEquals(1, counters.get("connections.addresses_reused"));
        assertEquals(0, counters.get("stream.duplicates"));
    }

    @Test
    void aLostSegmentIsStillAGapInTheSameConnection() {
        pipeline.accept(rec(100, Direction.INGRESS, 1000, ascii("REQ /a\n")));
        pipeline.accept(rec(150, Direction.EGRESS, 5000, ascii("RES 200\n")));
        pipeline.accept(rec(200, Direction.INGRESS, 1007 + 65_538, ascii("REQ /b\n"))); // one short of a reuse
        pipeline.finish();

        assertEquals(0, counters.get("connections.addresses_reused"));
        assertEquals(1, counters.get("stream.gaps"));
    }

    private static List<String> describe(List<Span> spans) {
        return spans.stream().map(s -> s.endpoint() + " " + s.responseCode() + " " + s.startNs() + "-" + s.endNs())
                .toList();
    }
}
