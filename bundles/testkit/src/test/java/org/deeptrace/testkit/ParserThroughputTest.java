package org.deeptrace.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserThroughput.Chunk;
import org.deeptrace.testkit.ParserThroughput.Connection;
import org.junit.jupiter.api.Test;

class ParserThroughputTest {
    private static Chunk chunk(Origin origin, String text) {
        return new Chunk(origin, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static final List<Connection> TRAFFIC = List.of(
            new Connection(List.of(chunk(Origin.CLIENT, "REQ a\nRE"), chunk(Origin.CLIENT, "Q b\n"),
                    chunk(Origin.SERVER, "RES a\nRES b\n"))),
            new Connection(List.of(chunk(Origin.CLIENT, "REQ c\n"), chunk(Origin.SERVER, "RES c\n"))));

    @Test
    void countsMessagesAndBytesOfEveryRoundWithAFreshParserPerConnection() {
        int[] parsers = new int[1];
        ParserThroughput.Result r = ParserThroughput.of(() -> {
            parsers[0]++;
            return new LineProtocol.LineParser();
        }).warmUp(Duration.ZERO).measure(Duration.ofMillis(50)).run(TRAFFIC);

        assertEquals(6, r.messagesPerRound());
        assertEquals(36, r.bytesPerRound());
        assertTrue(r.rounds() >= 1);
        assertEquals(6 * r.rounds(), r.messages());
        // one counting round before the warm-up, then the measured ones; two connections each
        assertEquals(2 * (r.rounds() + 1), parsers[0]);
        assertTrue(r.wallNanos() >= 50_000_000L, "measured " + r.wallNanos() + " ns");
        assertTrue(r.megabytesPerSecond() > 0 && r.messagesPerSecond() > 0);
        assertTrue(r.describe("LINE").startsWith("LINE throughput: "), r.describe("LINE"));
    }

    @Test
    void feedsEachOriginAtItsOwnStreamOffset() {
        List<Long> clientOffsets = new ArrayList<>();
        ParserThroughput.of(() -> new LineProtocol.LineParser() {
            @Override
            public void onData(Origin origin, long offset, java.nio.ByteBuffer chunk,
                    org.deeptrace.api.protocol.MessageSink out) {
                if (origin == Origin.CLIENT) {
                    clientOffsets.add(offset);
                }
                super.onData(origin, offset, chunk, out);
            }
        }).warmUp(Duration.ZERO).measure(Duration.ZERO).run(TRAFFIC.subList(0, 1));

        // the counting round and one measured round: the second client chunk follows the first one's 8 bytes
        assertEquals(List.of(0L, 8L, 0L, 8L), clientOffsets);
    }

    @Test
    void malformedTrafficFailsTheRun() {
        AssertionError e = assertThrows(AssertionError.class, () -> ParserThroughput.of(() -> new LineProtocol.LineParser() {
            @Override
            public void onData(Origin origin, long offset, java.nio.ByteBuffer chunk,
                    org.deeptrace.api.protocol.MessageSink out) {
                out.malformed(origin, "not a line");
            }
        }).warmUp(Duration.ZERO).measure(Duration.ZERO).run(TRAFFIC));
        assertEquals("malformed CLIENT data: not a line", e.getMessage());
    }
}
