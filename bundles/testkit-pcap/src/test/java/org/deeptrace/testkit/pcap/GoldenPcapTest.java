package org.deeptrace.testkit.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.junit.jupiter.api.Test;

/**
 * The archetype's example traffic (a header line "REQ ..." or "RES ..." plus a body, see sdk/archetype), parsed by
 * a deliberately crude parser: every chunk that starts with the magic word is one message, everything else is
 * malformed. Enough to check the helper itself: replay, golden comparison, counters, the missing-file message.
 */
class GoldenPcapTest {

    /** Every chunk starting with "REQ " or "RES " is a whole message; other chunks are malformed. */
    static final class ChunkProtocol implements ProtocolParser {
        @Override
        public String protocol() {
            return "Chunks";
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.TCP);
        }

        @Override
        public Inference infer(ByteBuffer b, Transport l4, int srcPort, int dstPort) {
            Origin sender = magic(b);
            return sender == null ? Inference.NO : Inference.of(0.9, sender);
        }

        static Origin magic(ByteBuffer b) {
            int p = b.position();
            if (b.remaining() < 4 || b.get(p) != 'R' || b.get(p + 1) != 'E' || b.get(p + 3) != ' ') {
                return null;
            }
            return b.get(p + 2) == 'Q' ? Origin.CLIENT : b.get(p + 2) == 'S' ? Origin.SERVER : null;
        }

        @Override
        public ConnectionParser open(ConnectionInfo connection) {
            return new ConnectionParser() {
                @Override
                public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                    if (magic(chunk) != origin) {
                        out.malformed(origin, "not a message start");
                        return;
                    }
                    int n = chunk.remaining();
                    MessageType type = origin == Origin.CLIENT ? MessageType.REQUEST : MessageType.RESPONSE;
                    out.message(origin, ParsedMessage.builder("Chunks", type, n).build(), offset, offset + n);
                }

                @Override
                public void onGap(Origin origin, long offset, long length, MessageSink out) {
                    // every message is one chunk: a gap only shortens the message it hits
                }
            };
        }
    }

    @Test
    void replaysThePcapAndMatchesTheCheckedInRecords() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new ChunkProtocol(), "/golden/chunks.pcap");
        g.assertMatchesGolden("/golden/chunks.pcap");
        // two connections; the crude parser fails three times in a row on the big body and is inferred anew
        assertEquals(2 + g.counter("connections.reinferred"), g.counter("connections.Chunks"));
        assertEquals(g.messages.size(), g.counter("messages.Chunks"));
        assertEquals(0, g.counter("no.such.counter"));
        assertTrue(g.counter("stream.truncated_bytes") > 150_000, "the pcap's snap length cut a 200 kB body");
        // The 200 kB body spans several segments: all but its first are "not a message start".
        Map<String, Long> malformed = g.countersStartingWith("parse.malformed.");
        assertEquals(Set.of("Chunks.not_a_message_start"), malformed.keySet());
        assertTrue(malformed.get("Chunks.not_a_message_start") >= 2, malformed::toString);
    }

    @Test
    void messagesOfTypeAndSpanByEndpoint() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new ChunkProtocol(), "/golden/chunks.pcap");
        List<L7Message> requests = g.messagesOfType(MessageType.REQUEST);
        List<L7Message> responses = g.messagesOfType(MessageType.RESPONSE);
        assertEquals(8, requests.size(), "the checked-in chunks.messages.jsonl: 8 requests");
        assertEquals(10, responses.size(), "and 10 responses");
        assertTrue(requests.stream().allMatch(m -> m.parsed().type() == MessageType.REQUEST));
        AssertionError e = assertThrows(AssertionError.class, () -> g.span("no-such-endpoint"));
        assertTrue(e.getMessage().contains("no-such-endpoint"), e.getMessage());
    }

    @Test
    void aMissingGoldenFileSaysHowToCreateIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("golden.update"), "update mode writes it");
        GoldenPcap g = GoldenPcap.replay(new ChunkProtocol(), "/golden/no-golden-file.pcap");
        AssertionError e = assertThrows(AssertionError.class, () -> g.assertMatchesGolden("/golden/no-golden-file.pcap"));
        assertTrue(e.getMessage().contains("no-golden-file.messages.jsonl"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dgolden.update=true"), e.getMessage());
    }

    @Test
    void aMissingPcapIsAClearError() {
        Exception e = assertThrows(java.io.IOException.class, () -> GoldenPcap.replay(new ChunkProtocol(), "/nope.pcap"));
        assertTrue(e.getMessage().contains("/nope.pcap"), e.getMessage());
    }
}
