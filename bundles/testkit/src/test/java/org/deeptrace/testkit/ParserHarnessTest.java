package org.deeptrace.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class ParserHarnessTest {

    private static List<String> texts(List<ParserHarness.Message> messages) {
        return messages.stream().map(m -> m.parsed().requestResource()).toList();
    }

    @Test
    void tracksOffsetsPerOriginAcrossChunks() {
        ParserHarness h = ParserHarness.open(new LineProtocol())
                .client("REQ a\nREQ b")
                .server("RES a\n")
                .client("b\n");
        assertEquals(List.of("REQ a", "RES a", "REQ bb"), texts(h.messages()));
        ParserHarness.Message second = h.requests().get(1);
        assertEquals(Origin.CLIENT, second.origin());
        assertEquals(6, second.start());
        assertEquals(13, second.end());
        assertEquals(0, h.responses().get(0).start());
        assertEquals(13, h.offset(Origin.CLIENT));
        assertEquals(6, h.offset(Origin.SERVER));
        assertEquals(List.of("RES a"), texts(h.messages(Origin.SERVER)));
        assertEquals(MessageType.RESPONSE, h.messages(Origin.SERVER).get(0).type());
    }

    @Test
    void gapsAdvanceTheOffsetUnlessTheirLengthIsUnknown() {
        ParserHarness h = ParserHarness.open(new LineProtocol())
                .client("REQ a")
                .gap(Origin.CLIENT, 100)
                .client("REQ b\n")
                .unknownGap(Origin.CLIENT)
                .client("REQ c\n");
        assertEquals(List.of(new ParserHarness.Malformed(Origin.CLIENT, "gap in line")), h.malformed());
        assertEquals(105, h.requests().get(0).start());
        assertEquals(111, h.requests().get(1).start());
        assertEquals(117, h.offset(Origin.CLIENT));
        assertThrows(IllegalArgumentException.class, () -> h.gap(Origin.CLIENT, -1));
    }

    @Test
    void splittingTheBytesDoesNotChangeTheMessages() {
        byte[] bytes = "REQ one\nREQ two\nREQ three\n".getBytes(StandardCharsets.US_ASCII);
        ParserHarness whole = ParserHarness.open(new LineProtocol()).client(bytes);
        ParserHarness split = ParserHarness.open(new LineProtocol()).feedSplit(Origin.CLIENT, bytes, 1, 8, 8, 20);
        ParserHarness bytewise = ParserHarness.open(new LineProtocol()).feedInChunksOf(Origin.CLIENT, bytes, 1);
        assertEquals(whole.messages(), split.messages());
        assertEquals(whole.messages(), bytewise.messages());
        assertEquals(3, whole.messages().size());
        assertThrows(IllegalArgumentException.class, () -> split.feedSplit(Origin.CLIENT, bytes, 5, 2));
    }

    @Test
    void catchesAParserThatKeepsTheChunkInsteadOfCopyingIt() {
        // Remembers the chunk and reads it only at the next call: by then the harness has overwritten it.
        ParserHarness h = ParserHarness.open(new Deferred(chunk -> ParsedMessage.builder("T", MessageType.REQUEST, 1)
                .requestResource(StandardCharsets.ISO_8859_1.decode(chunk.duplicate()).toString()).build()))
                .client("hello")
                .client("x");
        assertNotEquals("hello", h.requests().get(0).parsed().requestResource());
    }

    @Test
    void catchesAParserThatIgnoresThePositionOfTheChunk() {
        ParserHarness h = ParserHarness.open(new Deferred(null) {
            @Override
            public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                String first = String.valueOf((char) chunk.get(0)); // wrong: the chunk starts at chunk.position()
                out.message(origin, ParsedMessage.builder("T", MessageType.REQUEST, 1).requestResource(first).build(),
                        offset, offset + 1);
            }
        }).client("G");
        assertNotEquals("G", h.requests().get(0).parsed().requestResource());
    }

    @Test
    void failsOnMessagesThatBreakTheSinkContract() {
        assertThrows(AssertionError.class, () -> ParserHarness.open(emitting(0, 10)).client("short"));
        assertThrows(AssertionError.class, () -> ParserHarness.open(emitting(3, 2)).client("short"));
        ParserHarness overlapping = ParserHarness.open(emitting(0, 4)).client("short");
        assertThrows(AssertionError.class, () -> overlapping.client("again"));
        assertThrows(AssertionError.class,
                () -> ParserHarness.open(new Deferred(null) {
                    @Override
                    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                        out.malformed(origin, " ");
                    }
                }).client("x"));
    }

    @Test
    void interleavedModeAcceptsOverlappingMessagesButNotOneReportedTwice() {
        LineProtocol overlapping = new LineProtocol() {
            @Override
            public ConnectionParser open(ConnectionInfo connection) {
                return new Deferred(null) {
                    @Override
                    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                        // like an HTTP/2 stream that began in an earlier chunk and ends in this one
                        out.message(origin, ParsedMessage.builder("T", MessageType.REQUEST, 1).build(),
                                Math.max(0, offset - 3), offset + chunk.remaining());
                    }
                };
            }
        };
        ParserHarness strict = ParserHarness.open(overlapping).client("short");
        assertThrows(AssertionError.class, () -> strict.client("again"));
        ParserHarness streams = ParserHarness.open(overlapping).interleaved().client("short").client("again");
        assertEquals(2, streams.messages().size());
        ParserHarness twice = ParserHarness.open(emitting(0, 4)).interleaved().client("short");
        assertThrows(AssertionError.class, () -> twice.client("again"));
        assertThrows(AssertionError.class, () -> ParserHarness.open(emitting(0, 10)).interleaved().client("short"));
    }

    @Test
    void letsParserExceptionsThrough() {
        ParserHarness h = ParserHarness.open(new Deferred(null) {
            @Override
            public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                throw new IllegalStateException("boom");
            }
        });
        assertThrows(IllegalStateException.class, () -> h.client("x"));
    }

    @Test
    void nothingCanBeFedAfterClose() {
        ParserHarness h = ParserHarness.open(new LineProtocol()).close();
        assertThrows(IllegalStateException.class, () -> h.client("REQ\n"));
        assertThrows(IllegalStateException.class, h::close);
    }

    @Test
    void replaysCaptureRecordsByDirection() {
        List<org.deeptrace.api.model.CaptureRecord> records =
                CaptureRecords.readResource(ParserHarnessTest.class, "/lines.capture.jsonl");
        ParserHarness h = ParserHarness.replay(new LineProtocol(), records);
        // The traced process is the server (local 10.0.0.2:80): its ingress is what the client sent.
        assertEquals(new ConnectionInfo(Transport.TCP, "10.0.0.1:40000", "10.0.0.2:80", 42, "srv"), h.connection());
        assertEquals(List.of("REQ a"), texts(h.requests()));
        assertEquals(List.of("RES a", "RES b"), texts(h.responses()));
        // The third record carried 8 of its 20 bytes: the rest arrived as a gap.
        assertEquals(26, h.offset(Origin.CLIENT));
        assertEquals(List.of(new ParserHarness.Malformed(Origin.CLIENT, "gap in line")), h.malformed());
    }

    @Test
    void refusesRecordsOfAnotherConnection() {
        List<org.deeptrace.api.model.CaptureRecord> records =
                CaptureRecords.readResource(ParserHarnessTest.class, "/lines.capture.jsonl");
        ParserHarness h = ParserHarness.open(new LineProtocol(),
                new ConnectionInfo(Transport.TCP, "10.9.9.9:1", "10.0.0.2:80", 42, "srv"));
        assertThrows(IllegalArgumentException.class, () -> h.feed(records.get(0)));
        assertThrows(AssertionError.class, () -> ParserHarness.replay(new LineProtocol() {
            @Override
            public org.deeptrace.api.protocol.Inference infer(ByteBuffer b, Transport l4, int s, int d) {
                return org.deeptrace.api.protocol.Inference.NO;
            }
        }, records));
    }

    @Test
    void clearRecordedKeepsOffsets() {
        ParserHarness h = ParserHarness.open(new LineProtocol()).client("REQ a\n").clearRecorded().client("REQ b\n");
        assertEquals(List.of("REQ b"), texts(h.messages()));
        assertEquals(6, h.messages().get(0).start());
        assertTrue(h.malformed().isEmpty());
    }

    private static LineProtocol emitting(long start, long end) {
        return new LineProtocol() {
            @Override
            public ConnectionParser open(ConnectionInfo connection) {
                return new Deferred(null) {
                    @Override
                    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                        out.message(origin, ParsedMessage.builder("T", MessageType.REQUEST, 1).build(), start, end);
                    }
                };
            }
        };
    }

    /** Emits, for each chunk, a message built from the previous chunk's buffer (kept by reference: a bug). */
    private static class Deferred extends LineProtocol implements ConnectionParser {
        private final Function<ByteBuffer, ParsedMessage> build;
        private ByteBuffer kept;
        private long keptOffset;

        Deferred(Function<ByteBuffer, ParsedMessage> build) {
            this.build = build;
        }

        @Override
        public ConnectionParser open(ConnectionInfo connection) {
            return this;
        }

        @Override
        public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
            if (kept != null) {
                out.message(origin, build.apply(kept), keptOffset, keptOffset + kept.remaining());
            }
            kept = chunk;
            keptOffset = offset;
        }

        @Override
        public void onGap(Origin origin, long offset, long length, MessageSink out) {
        }
    }
}
