package org.deeptrace.protocol.someip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class SomeIpParserTest {
    private static final ConnectionInfo UDP =
            new ConnectionInfo(Transport.UDP, "10.0.0.1:40000", "10.0.0.2:30501", 1, "test");

    private static ParserHarness tcp() {
        return ParserHarness.open(new SomeIpProtocol());
    }

    private static ParserHarness udp() {
        return ParserHarness.open(new SomeIpProtocol(), UDP);
    }

    @Test
    void requestResponseFields() {
        ParserHarness h = tcp().client(Msg.request(0x0001, 7, 10)).server(Msg.response(0x0001, 7, 0, 4)).close();
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("SomeIP", req.protocol());
        assertEquals("0x1234.0x0001", req.endpoint());
        assertEquals("0x1234", req.requestDomain());
        assertEquals("REQUEST", req.requestType());
        assertEquals("3", req.version(), "the interface version");
        assertEquals(0x0010_0007L, req.requestId());
        assertEquals(26, req.size());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(0x0010_0007L, resp.requestId());
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertEquals(0, resp.responseCode());
    }

    @Test
    void messageTypesAndReturnCodes() {
        ParserHarness h = tcp()
                .client(Msg.concat(Msg.of(0x1234, 2, 1, 1, 0x01, 0, 3), Msg.of(0x1234, 0x8001, 0, 1, 0x02, 0, 3)))
                .server(Msg.concat(Msg.response(1, 1, 0x02, 0), Msg.response(1, 2, 0x06, 0), Msg.response(1, 3, 0x01, 0),
                        Msg.response(1, 4, 0x25, 0), Msg.of(0x1234, 1, 0x10, 5, 0x81, 0, 0)))
                .close();
        assertFalse(h.requests().get(0).parsed().expectsResponse(), "REQUEST_NO_RETURN");
        assertEquals("REQUEST_NO_RETURN", h.requests().get(0).parsed().requestType());
        assertEquals(MessageType.SESSION, h.messages(Origin.CLIENT).get(1).type(), "NOTIFICATION");
        List<ParsedMessage> r = h.responses().stream().map(ParserHarness.Message::parsed).toList();
        assertEquals(List.of(ResponseStatus.CLIENT_ERROR, ResponseStatus.SERVER_ERROR, ResponseStatus.ERROR,
                ResponseStatus.ERROR, ResponseStatus.ERROR), r.stream().map(ParsedMessage::responseStatus).toList());
        assertEquals(List.of("E_UNKNOWN_SERVICE", "E_TIMEOUT", "E_NOT_OK", "E_SERVICE_0x25"),
                r.subList(0, 4).stream().map(ParsedMessage::responseException).toList());
    }

    @Test
    void severalMessagesPerDatagramAndTruncatedDatagrams() {
        byte[] datagram = Msg.concat(Msg.request(1, 1, 3), Msg.request(2, 2, 0), Msg.request(3, 3, 100));
        ParserHarness h = udp().client(datagram).close();
        assertEquals(List.of("0x1234.0x0001", "0x1234.0x0002", "0x1234.0x0003"), endpoints(h));

        ParserHarness cut = udp().feed(Origin.CLIENT, datagram, 0, 40).client(Msg.request(9, 9, 0)).close();
        assertEquals(List.of("0x1234.0x0001", "0x1234.0x0002", "0x1234.0x0009"), endpoints(cut));
        assertEquals("truncated datagram", cut.malformed().get(0).reason());

        ParserHarness garbage = udp().client(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
                .client(Msg.request(1, 1, 0)).close();
        assertEquals(1, garbage.requests().size(), "the next datagram parses");
        assertEquals("bad header", garbage.malformed().get(0).reason());
    }

    /** A SOME/IP-TP segment of request {@code session} of method 4: {@code length} bytes at {@code offset}. */
    private static byte[] seg(int session, int offset, int length, boolean more) {
        return Msg.of(0x1234, 4, 0x10, session, 0x20, 0,
                ByteBuffer.allocate(4 + length).putInt(offset | (more ? 1 : 0)).array());
    }

    /** The three segments of request {@code session}: 32 + 32 + 5 payload bytes, 16 + 69 bytes reassembled. */
    private static byte[][] segments(int session) {
        return new byte[][] {seg(session, 0, 32, true), seg(session, 32, 32, true), seg(session, 64, 5, false)};
    }

    private static List<String> reasons(ParserHarness h) {
        return h.malformed().stream().map(ParserHarness.Malformed::reason).toList();
    }

    @Test
    void tpSegmentsInOrderMakeOneMessageOverTcpAndUdp() {
        byte[][] s = segments(8);
        ParserHarness t = tcp().client(Msg.concat(s)).server(Msg.response(4, 8, 0, 2)).close();
        assertEquals(1, t.requests().size());
        ParserHarness.Message req = t.requests().get(0);
        assertEquals(16 + 69, req.parsed().size(), "the original message: header + reassembled payload");
        assertEquals("REQUEST", req.parsed().requestType(), "the message type without the TP flag");
        assertTrue(req.parsed().expectsResponse());
        assertEquals(0x0010_0008L, req.parsed().requestId());
        assertEquals(0, req.start());
        assertEquals(s[0].length + s[1].length + s[2].length, req.end(), "from the first segment to the last");
        assertEquals(List.of(), reasons(t));

        ParserHarness u = udp().client(s[0]).client(s[1]).client(s[2]).server(Msg.response(4, 8, 0, 2)).close();
        assertEquals(1, u.requests().size());
        assertEquals(16 + 69, u.requests().get(0).parsed().size());
        assertEquals(1, u.responses().size());
        assertEquals(List.of(), reasons(u));
    }

    @Test
    void tpSegmentsOutOfOrderAndDescending() {
        byte[][] s = segments(8);
        for (int[] order : new int[][] {{2, 1, 0}, {1, 0, 2}, {0, 2, 1}, {2, 0, 1}}) {
            ParserHarness h = udp();
            for (int i : order) {
                h.client(s[i]);
            }
            h.close();
            assertEquals(1, h.requests().size(), java.util.Arrays.toString(order));
            ParserHarness.Message m = h.requests().get(0);
            assertEquals(16 + 69, m.parsed().size());
            assertEquals(0, m.start(), "starts with the segment that came first");
            assertEquals(h.offset(Origin.CLIENT), m.end(), "ends with the segment that completed it");
            assertEquals(List.of(), reasons(h));
        }
    }

    @Test
    void otherMessagesBetweenSegmentsKeepTheirOwnPlaces() {
        byte[][] s = segments(8);
        ParserHarness h = tcp().interleaved().client(s[0]).client(Msg.request(1, 9, 3)).client(s[1])
                .client(Msg.of(0x1234, 4, 0x11, 8, 0x20, 0, ByteBuffer.allocate(4 + 5).putInt(0).array()))
                .client(s[2]).close();
        // another client's one-segment message of the same method is its own reassembly (client id differs)
        assertEquals(List.of("0x0010_0009 " + (16 + 3), "0x0011_0008 " + (16 + 5), "0x0010_0008 " + (16 + 69)),
                h.requests().stream().map(m -> String.format("0x%04X_%04X %d", (Long) m.parsed().requestId() >>> 16,
                        (Long) m.parsed().requestId() & 0xFFFF, m.parsed().size())).toList());
        assertEquals(0, h.requests().get(2).start(), "the segmented message starts at its first segment");
        assertEquals(List.of(), reasons(h));
    }

    @Test
    void repeatedSegmentsAreCountedOnce() {
        byte[][] s = segments(8);
        ParserHarness h = udp().client(s[0]).client(s[0]).client(s[1]).client(s[0]).client(s[2]).client(s[2])
                .client(s[1]).close();
        assertEquals(1, h.requests().size(), "repeated segments, also after the message completed");
        assertEquals(16 + 69, h.requests().get(0).parsed().size());
        assertEquals(List.of(), reasons(h));
        // an overlapping segment (a resend cut otherwise) still completes the coverage
        ParserHarness overlap = udp().client(s[0]).client(seg(8, 16, 48, true)).client(s[2]).close();
        assertEquals(List.of(16L + 69), overlap.requests().stream().map(m -> m.parsed().size()).toList());
    }

    @Test
    void aMissingSegmentIsReportedIncompleteWithoutDesynchronising() {
        byte[][] s = segments(8);
        byte[][] next = segments(9);
        // the answer to the request shows it arrived: the request is reported first, so the two pair
        ParserHarness answered = udp().client(s[0]).client(s[2]).server(Msg.response(4, 8, 0, 2))
                .client(next[0]).client(next[1]).client(next[2]).close();
        assertEquals(List.of(0x0010_0008L, 0x0010_0009L), answered.requests().stream()
                .map(m -> m.parsed().requestId()).toList());
        assertEquals(16 + 69, answered.requests().get(0).parsed().size(), "the length the last segment gives");
        assertEquals(16 + 69, answered.requests().get(1).parsed().size());
        assertEquals(List.of(TpReassembly.INCOMPLETE), reasons(answered));
        assertTrue(answered.messages().indexOf(answered.requests().get(0))
                < answered.messages().indexOf(answered.responses().get(0)), "the request before its response");

        // the next original message of the same method starts: the earlier one will not complete
        ParserHarness superseded = udp().client(s[0]).client(next[0]).client(next[1]).client(next[2]).close();
        assertEquals(List.of(16L + 32, 16L + 69), superseded.requests().stream().map(m -> m.parsed().size())
                .toList());
        assertEquals(List.of(TpReassembly.INCOMPLETE), reasons(superseded));

        // no last segment by the end of the connection
        ParserHarness unfinished = tcp().client(Msg.concat(s[0], s[1])).close();
        assertEquals(List.of(16L + 64), unfinished.requests().stream().map(m -> m.parsed().size()).toList());
        assertEquals(List.of(TpReassembly.INCOMPLETE), reasons(unfinished));
    }

    @Test
    void segmentedResponsesTakeTheLastSegmentsReturnCode() {
        byte[] r1 = Msg.of(0x1234, 4, 0x10, 8, 0xA1, 0x04, ByteBuffer.allocate(4 + 16).putInt(1).array());
        byte[] r2 = Msg.of(0x1234, 4, 0x10, 8, 0xA1, 0x04, ByteBuffer.allocate(4 + 3).putInt(16).array());
        ParserHarness h = udp().client(Msg.request(4, 8, 0)).server(r2).server(r1).close();
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.SERVER_ERROR, resp.responseStatus());
        assertEquals("E_NOT_READY", resp.responseException());
        assertEquals(16 + 19, resp.size());
        assertEquals(List.of(), reasons(h));
    }

    @Test
    void reassemblyStateIsBounded() {
        ParserHarness h = udp();
        for (int method = 0; method < 100; method++) {
            h.client(Msg.of(0x1234, method, 0x10, 1, 0x20, 0, ByteBuffer.allocate(4 + 16).putInt(1).array()));
            assertTrue(((SomeIpParser) h.parser()).tpReassemblies() <= TpReassembly.MAX_OPEN);
        }
        assertEquals(100 - TpReassembly.MAX_OPEN, h.requests().size(), "the oldest reported incomplete");
        h.close();
        assertEquals(100, h.requests().size());
        assertEquals(100, reasons(h).size());
        assertEquals(0, ((SomeIpParser) h.parser()).tpReassemblies());

        // every other 16-byte block: more disjoint ranges than kept are dropped, counted
        ParserHarness holes = udp();
        for (int block = 0; block < 2 * (TpReassembly.MAX_RANGES + 4); block += 2) {
            holes.client(seg(8, block * 16, 16, true));
        }
        holes.close();
        assertEquals(4, reasons(holes).stream().filter(TpReassembly.DROPPED_SEGMENT::equals).count());
        assertEquals(List.of(TpReassembly.INCOMPLETE), reasons(holes).stream()
                .filter(TpReassembly.INCOMPLETE::equals).toList());
    }

    @Test
    void payloadBytesCutByAGapAreNotReadFromAnEarlierMessage() {
        byte[] pending = Msg.of(0x1234, 4, 0x10, 8, 0x20, 0, ByteBuffer.allocate(4 + 32).putInt(0 | 1).array());
        byte[] last = Msg.of(0x1234, 5, 0x10, 9, 0x20, 0, ByteBuffer.allocate(4 + 8).putInt(0).array());
        // The gap hides the end of the TP header of `last`: where it belongs is unknown (not read from the
        // earlier segment's bytes), so neither message completes; both are reported incomplete at the end.
        ParserHarness h = tcp().client(pending).feed(Origin.CLIENT, last, 0, 18).gap(Origin.CLIENT, 4)
                .feed(Origin.CLIENT, last, 22, last.length).close();
        assertEquals(List.of("0x1234.0x0004", "0x1234.0x0005"), endpoints(h));
        assertEquals(List.of(16L + 32, 16L + 8), h.requests().stream().map(m -> m.parsed().size()).toList());
        assertEquals(List.of(TpReassembly.INCOMPLETE, TpReassembly.INCOMPLETE), reasons(h));
    }

    @Test
    void sameMessagesForEverySplitAndOneByteChunks() {
        byte[] stream = Msg.concat(Msg.request(1, 1, 30), Msg.request(2, 2, 0), Msg.concat(segments(8)),
                Msg.request(3, 3, 300));
        List<String> expected = endpoints(tcp().client(stream).close());
        assertEquals(4, expected.size());
        for (int cut = 1; cut < stream.length; cut++) {
            assertEquals(expected, endpoints(tcp().feedSplit(Origin.CLIENT, stream, cut).close()), "cut " + cut);
        }
        assertEquals(expected, endpoints(tcp().feedInChunksOf(Origin.CLIENT, stream, 1).close()));
    }

    @Test
    void gapsKeepTheFramingOrResync() {
        byte[] a = Msg.request(1, 1, 1000);
        byte[] b = Msg.request(2, 2, 5);
        ParserHarness inside = tcp().feed(Origin.CLIENT, a, 0, 100).gap(Origin.CLIENT, 800)
                .feed(Origin.CLIENT, a, 900, a.length).client(b).close();
        assertEquals(List.of("0x1234.0x0001", "0x1234.0x0002"), endpoints(inside));

        ParserHarness between = tcp().client(a).gap(Origin.CLIENT, 64).client(Msg.concat(new byte[] {7, 7}, b))
                .close();
        assertEquals(List.of("0x1234.0x0001", "0x1234.0x0002"), endpoints(between));
        assertEquals(1, between.lost().size());

        ParserHarness unknown = tcp().feed(Origin.CLIENT, a, 0, 8).unknownGap(Origin.CLIENT)
                .client("junk junk junk junk junk".getBytes()).client(b).close();
        assertEquals(List.of("0x1234.0x0002"), endpoints(unknown));
    }

    @Test
    void badHeaderOverTcpResyncsInsideTheChunk() {
        byte[] bad = Msg.of(0x1234, 1, 1, 1, 0x07, 0, 4); // message type 7 does not exist
        ParserHarness h = tcp().client(Msg.concat(bad, Msg.request(5, 5, 2))).close();
        assertEquals("bad header", h.malformed().get(0).reason());
        assertEquals(List.of("0x1234.0x0005"), endpoints(h));
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random random = new Random(6);
        byte[] valid = Msg.concat(Msg.request(1, 1, 40), Msg.response(1, 1, 3, 2), Msg.concat(segments(8)));
        for (int i = 0; i < 3000; i++) {
            byte[] input = i % 2 == 0 ? new byte[random.nextInt(200)] : valid.clone();
            if (i % 2 == 0) {
                random.nextBytes(input);
                if (input.length > 16 && random.nextBoolean()) {
                    input[12] = 1;
                    input[14] = (byte) (random.nextBoolean() ? 0 : 0x20);
                    input[15] = 0;
                }
            } else {
                for (int k = 0; k < 1 + random.nextInt(6); k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            Origin origin = random.nextBoolean() ? Origin.CLIENT : Origin.SERVER;
            ParserHarness h = (random.nextBoolean() ? tcp() : udp()).interleaved().feedInChunksOf(origin, input,
                    1 + random.nextInt(20));
            if (random.nextBoolean()) {
                h.gap(origin, random.nextInt(50));
            }
            h.feed(origin, input).close();
            assertTrue(h.messages().size() <= 2 * input.length / 16 + 1);
        }
    }

    private static List<String> endpoints(ParserHarness h) {
        return h.messages().stream().map(m -> m.parsed().endpoint()).toList();
    }
}
