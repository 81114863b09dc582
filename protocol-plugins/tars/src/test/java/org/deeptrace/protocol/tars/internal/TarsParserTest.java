package org.deeptrace.protocol.tars.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class TarsParserTest {
    private static final String SERVANT = "TestApp.HelloServer.HelloObj";

    private static ParserHarness harness() {
        return ParserHarness.open(new TarsProtocol());
    }

    @Test
    void requestAndResponseFields() {
        byte[] request = Jce.request(7, SERVANT, "hello", 20, Map.of("X-Request-Id", "rid-1",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        ParserHarness h = harness().client(request).server(Jce.response(7, 0, null, 9)).close();
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("Tars", req.protocol());
        assertEquals("1", req.version());
        assertEquals(SERVANT, req.requestDomain());
        assertEquals("hello", req.requestType());
        assertEquals(SERVANT + ".hello", req.endpoint());
        assertEquals(SERVANT + ".hello", req.requestResource());
        assertEquals(7L, req.requestId());
        assertEquals("rid-1", req.xRequestId());
        assertEquals("0af7651916cd43dd8448eb211c80319c", req.traceId());
        assertEquals("b7ad6b7169203331", req.spanId());
        assertTrue(req.expectsResponse());
        assertEquals(request.length, req.size());

        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(MessageType.RESPONSE, resp.type());
        assertEquals(7L, resp.requestId());
        assertEquals(0, resp.responseCode());
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void returnCodesAndOneWay() {
        ParserHarness h = harness()
                .client(Jce.request(1, 1, 5, SERVANT, "notify", 3, Map.of()))
                .server(Jce.concat(Jce.response(1, -3, "no function", 0), Jce.response(2, -99, "boom", 0),
                        Jce.response(3, -7, null, 0), Jce.response(4, 12, "app", 0)))
                .close();
        assertFalse(h.requests().get(0).parsed().expectsResponse(), "TARSONEWAY");
        List<ParsedMessage> r = h.responses().stream().map(ParserHarness.Message::parsed).toList();
        assertEquals(List.of(ResponseStatus.CLIENT_ERROR, ResponseStatus.SERVER_ERROR, ResponseStatus.SERVER_ERROR,
                ResponseStatus.ERROR), r.stream().map(ParsedMessage::responseStatus).toList());
        assertEquals("no function", r.get(0).responseException());
        assertEquals(-99, r.get(1).responseCode());
        assertNull(r.get(2).responseException());
    }

    @Test
    void tupResponsesUseTheRequestLayoutAndTheStatusMap() {
        byte[] tupResponse = new Jce().number(1, 3).number(2, 0).number(3, 0).number(4, 11).string(5, SERVANT)
                .string(6, "hello").bytes(7, new byte[4]).number(8, 0).map(9, Map.of())
                .map(10, Map.of("STATUS_RESULT_CODE", "-4", "STATUS_RESULT_DESC", "no servant")).packet();
        ParserHarness h = harness().client(Jce.request(3, 0, 11, SERVANT, "hello", 2, Map.of()))
                .server(tupResponse).close();
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(11L, resp.requestId());
        assertEquals("3", resp.version());
        assertEquals(-4, resp.responseCode());
        assertEquals(ResponseStatus.CLIENT_ERROR, resp.responseStatus());
        assertEquals("no servant", resp.responseException());
    }

    @Test
    void sameMessagesForEverySplitAndForOneByteChunks() {
        byte[] stream = Jce.concat(Jce.request(1, "A.B.C", "m1", 30, Map.of()),
                Jce.request(2, "A.B.C", "m2", 0, Map.of("k", "v")), Jce.request(3, "A.B.D", "m3", 400, Map.of()));
        List<String> expected = endpoints(harness().client(stream).close());
        assertEquals(List.of("A.B.C.m1", "A.B.C.m2", "A.B.D.m3"), expected);
        for (int cut = 1; cut < stream.length; cut++) {
            assertEquals(expected, endpoints(harness().feedSplit(Origin.CLIENT, stream, cut).close()), "cut " + cut);
        }
        assertEquals(expected, endpoints(harness().feedInChunksOf(Origin.CLIENT, stream, 1).close()));
    }

    @Test
    void gapInsideTheArgumentsKeepsTheFraming() {
        byte[] first = Jce.request(1, SERVANT, "big", 1000, Map.of());
        byte[] second = Jce.request(2, SERVANT, "next", 5, Map.of());
        ParserHarness h = harness().feed(Origin.CLIENT, first, 0, 100).gap(Origin.CLIENT, 800)
                .feed(Origin.CLIENT, first, 900, first.length).client(second).close();
        assertEquals(List.of(SERVANT + ".big", SERVANT + ".next"), endpoints(h));
        assertEquals(2L, h.requests().get(1).parsed().requestId());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void gapBetweenPacketsIsLostThenResyncs() {
        byte[] a = Jce.request(1, SERVANT, "a", 10, Map.of());
        byte[] b = Jce.request(2, SERVANT, "b", 10, Map.of());
        ParserHarness h = harness().client(a).gap(Origin.CLIENT, 500).client(Jce.concat(new byte[] {9, 9, 9}, b))
                .close();
        assertEquals(List.of(SERVANT + ".a", SERVANT + ".b"), endpoints(h));
        assertEquals(1, h.lost().size());

        ParserHarness longGap = harness().feed(Origin.CLIENT, a, 0, 10).gap(Origin.CLIENT, a.length - 10 + 77)
                .client(b).close();
        assertEquals(2, longGap.requests().size(), "the cut packet is still reported, then b");
        assertEquals(1, longGap.lost().size());
    }

    @Test
    void garbageAndUnknownGapsResync() {
        byte[] a = Jce.request(1, SERVANT, "a", 10, Map.of());
        ParserHarness h = harness().client("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()).client(a)
                .feed(Origin.CLIENT, a, 0, 12).unknownGap(Origin.CLIENT).client(a).close();
        assertEquals(List.of(SERVANT + ".a", SERVANT + ".a"), endpoints(h));
        assertEquals("bad length", h.malformed().get(0).reason());

        byte[] badStart = {0, 0, 0, 20, (byte) 0x80, 1, 0, 1, 0, 0, 0, 3, 'a', 'd', 'd', 0, 0, 0, 1, 0};
        ParserHarness thrift = harness().client(badStart).client(a).close();
        assertEquals("bad packet start", thrift.malformed().get(0).reason());
        assertEquals(1, thrift.requests().size());
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random random = new Random(5);
        byte[] valid = Jce.concat(Jce.request(1, SERVANT, "a", 40, Map.of("a", "b")), Jce.response(1, -99, "x", 3));
        for (int i = 0; i < 3000; i++) {
            byte[] input = i % 2 == 0 ? new byte[random.nextInt(200)] : valid.clone();
            if (i % 2 == 0) {
                random.nextBytes(input);
                if (input.length > 8 && random.nextBoolean()) {
                    System.arraycopy(new byte[] {0, 0, 0, (byte) input.length, 0x10, 1, 0x2C}, 0, input, 0, 7);
                }
            } else {
                for (int k = 0; k < 1 + random.nextInt(6); k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            Origin origin = random.nextBoolean() ? Origin.CLIENT : Origin.SERVER;
            ParserHarness h = harness().feedInChunksOf(origin, input, 1 + random.nextInt(20));
            if (random.nextBoolean()) {
                h.gap(origin, random.nextInt(50));
            }
            h.feed(origin, input).close();
            assertTrue(h.messages().size() <= 2 * input.length / TarsFrame.MIN_PACKET + 1);
        }
    }

    private static List<String> endpoints(ParserHarness h) {
        return h.messages().stream().map(m -> m.parsed().endpoint()).toList();
    }
}
