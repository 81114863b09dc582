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

    @Test
    void tpSegmentsMakeOneMessage() {
        byte[] s1 = Msg.of(0x1234, 4, 0x10, 8, 0x20, 0, ByteBuffer.allocate(4 + 32).putInt(0 | 1).array());
        byte[] s2 = Msg.of(0x1234, 4, 0x10, 8, 0x20, 0, ByteBuffer.allocate(4 + 32).putInt(32 | 1).array());
        byte[] s3 = Msg.of(0x1234, 4, 0x10, 8, 0x20, 0, ByteBuffer.allocate(4 + 5).putInt(64).array());
        ParserHarness h = tcp().client(Msg.concat(s1, s2, s3)).close();
        assertEquals(1, h.requests().size());
        assertEquals(s1.length + s2.length + s3.length, h.requests().get(0).parsed().size());
    }

    @Test
    void payloadBytesCutByAGapAreNotReadFromAnEarlierMessage() {
        byte[] pending = Msg.of(0x1234, 4, 0x10, 8, 0x20, 0, ByteBuffer.allocate(4 + 32).putInt(0 | 1).array());
        byte[] last = Msg.of(0x1234, 5, 0x10, 9, 0x20, 0, ByteBuffer.allocate(4 + 8).putInt(0).array());
        // The gap hides the end of the TP header of `last`: its More Segments flag is unknown, not the earlier one's.
        ParserHarness h = tcp().client(pending).feed(Origin.CLIENT, last, 0, 18).gap(Origin.CLIENT, 4)
                .feed(Origin.CLIENT, last, 22, last.length).close();
        assertEquals(List.of("0x1234.0x0005"), endpoints(h));
        assertEquals(last.length, h.requests().get(0).parsed().size());
    }

    @Test
    void sameMessagesForEverySplitAndOneByteChunks() {
        byte[] stream = Msg.concat(Msg.request(1, 1, 30), Msg.request(2, 2, 0), Msg.request(3, 3, 300));
        List<String> expected = endpoints(tcp().client(stream).close());
        assertEquals(3, expected.size());
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
        byte[] valid = Msg.concat(Msg.request(1, 1, 40), Msg.response(1, 1, 3, 2));
        for (int i = 0; i < 3000; i++) {
            byte[] input = i % 2 == 0 ? new byte[random.nextInt(200)] : valid.clone();
            if (i % 2 == 0) {
                random.nextBytes(input);
                if (input.length > 16 && random.nextBoolean()) {
                    input[12] = 1;
                    input[14] = 0;
                    input[15] = 0;
                }
            } else {
                for (int k = 0; k < 1 + random.nextInt(6); k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            Origin origin = random.nextBoolean() ? Origin.CLIENT : Origin.SERVER;
            ParserHarness h = (random.nextBoolean() ? tcp() : udp()).feedInChunksOf(origin, input,
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
