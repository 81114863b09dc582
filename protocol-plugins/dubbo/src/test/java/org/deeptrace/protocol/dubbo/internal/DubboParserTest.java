package org.deeptrace.protocol.dubbo.internal;

import static org.deeptrace.protocol.dubbo.internal.DubboFrames.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class DubboParserTest {
    private static final String SERVICE = "org.example.GreetingService";

    @Test
    void requestFieldsFromHessian2Body() {
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .client(DubboFrames.request(7, SERVICE, "1.0.0", "sayHello"))
                .server(DubboFrames.okResponse(7));
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("Dubbo", req.protocol());
        assertEquals(7L, req.requestId());
        assertEquals("2.0.2", req.version());
        assertEquals(SERVICE, req.requestDomain());
        assertEquals("sayHello", req.requestType());
        assertEquals(SERVICE + ".sayHello", req.requestResource());
        assertEquals(SERVICE + ".sayHello", req.endpoint());
        assertTrue(req.expectsResponse());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(7L, resp.requestId());
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertEquals(20, resp.responseCode());
        assertNull(resp.responseException());
        assertEquals(DubboFrames.okResponse(7).length, resp.size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void nullServiceVersionAndLongAndUnicodeNames() {
        String longService = "org.example." + "x".repeat(600) + ".Service";
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .client(DubboFrames.request(1, longService, null, "gr\u00fc\u00dfe\u4e16"));
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals(DubboMessages.MAX_NAME, req.requestDomain().length(), "kept at most 256 characters");
        assertEquals("gr\u00fc\u00dfe\u4e16", req.requestType());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void businessExceptionAndErrorStatuses() {
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .server(DubboFrames.exceptionResponse(1, "org.example.GreetingException"))
                .server(DubboFrames.errorResponse(2, 70, "Not found exported service: org.example.Missing"))
                .server(DubboFrames.errorResponse(3, 30, "timeout"))
                .server(DubboFrames.errorResponse(4, 100, "thread pool is exhausted"))
                .server(DubboFrames.errorResponse(5, 60, "no such service"));
        List<ParsedMessage> r = h.responses().stream().map(ParserHarness.Message::parsed).toList();
        assertEquals(ResponseStatus.SERVER_ERROR, r.get(0).responseStatus());
        assertEquals(20, r.get(0).responseCode());
        assertEquals("org.example.GreetingException", r.get(0).responseException());
        assertEquals(ResponseStatus.SERVER_ERROR, r.get(1).responseStatus());
        assertEquals(70, r.get(1).responseCode());
        assertEquals("Not found exported service: org.example.Missing", r.get(1).responseException());
        assertEquals(ResponseStatus.CLIENT_ERROR, r.get(2).responseStatus());
        assertEquals(ResponseStatus.SERVER_ERROR, r.get(3).responseStatus());
        assertEquals(ResponseStatus.CLIENT_ERROR, r.get(4).responseStatus());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void heartbeatsAreSessionMessagesAndOneWayRequestsExpectNoResponse() {
        byte[] oneWay = DubboFrames.request(9, SERVICE, "1.0.0", "notify");
        oneWay[2] = (byte) 0x82; // request, not two-way
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .client(concat(DubboFrames.heartbeatRequest(3), oneWay))
                .server(DubboFrames.heartbeatResponse(3));
        assertEquals(2, h.messages(MessageType.SESSION).size());
        assertEquals("heartbeat", h.messages(MessageType.SESSION).get(0).parsed().requestType());
        assertFalse(h.requests().get(0).parsed().expectsResponse());
    }

    @Test
    void otherSerializationsAreFramedByHeaderOnly() {
        byte[] body = "[\"2.0.2\",\"svc\"]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .client(DubboFrames.frame(0xc0 | 23, 0, 11, body))
                .client(DubboFrames.request(12, SERVICE, "1.0.0", "next"));
        assertEquals(2, h.requests().size());
        assertEquals(11L, h.requests().get(0).parsed().requestId());
        assertNull(h.requests().get(0).parsed().endpoint());
        assertEquals(SERVICE + ".next", h.requests().get(1).parsed().endpoint());
    }

    @Test
    void multiplexedOutOfOrderResponsesAndSplitsAtEveryByte() {
        byte[] client = concat(DubboFrames.request(1, SERVICE, "1.0.0", "a"), DubboFrames.request(2, SERVICE,
                "1.0.0", "b"), DubboFrames.request(3, SERVICE, "1.0.0", "c"));
        byte[] server = concat(DubboFrames.okResponse(3), DubboFrames.exceptionResponse(1, "E"),
                DubboFrames.okResponse(2));
        List<String> expected = ParserHarness.open(new DubboProtocol()).client(client).server(server).messages()
                .stream().map(m -> m.parsed().toString()).toList();
        assertEquals(6, expected.size());
        for (int cut = 1; cut < client.length; cut++) {
            ParserHarness h = ParserHarness.open(new DubboProtocol()).feedSplit(Origin.CLIENT, client, cut)
                    .feedSplit(Origin.SERVER, server, Math.min(cut, server.length));
            assertEquals(expected, h.messages().stream().map(m -> m.parsed().toString()).toList(), "cut " + cut);
        }
        ParserHarness bytes = ParserHarness.open(new DubboProtocol()).feedInChunksOf(Origin.CLIENT, client, 1)
                .feedInChunksOf(Origin.SERVER, server, 1);
        assertEquals(expected, bytes.messages().stream().map(m -> m.parsed().toString()).toList());
        assertEquals(List.of(3L, 1L, 2L), bytes.responses().stream().map(m -> m.parsed().requestId()).toList());
    }

    @Test
    void garbageIsReportedOnceAndTheNextHeaderResyncs() {
        byte[] garbage = "GET / HTTP/1.1\r\n\r\n\u00da".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .client(concat(garbage, new byte[] {(byte) 0xda, (byte) 0xbb, 0x7f, 0x55},
                        DubboFrames.request(5, SERVICE, "1.0.0", "m")));
        assertEquals(1, h.malformed().size());
        assertEquals(1, h.requests().size());
        assertEquals(5L, h.requests().get(0).parsed().requestId());
        assertEquals(garbage.length + 4, h.requests().get(0).start());
    }

    @Test
    void gapInsideBodyKeepsFramingGapBetweenMessagesIsLost() {
        byte[] big = DubboFrames.request(1, SERVICE, "1.0.0", "upload");
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .client(java.util.Arrays.copyOf(big, 70))
                .gap(Origin.CLIENT, big.length - 70)
                .client(DubboFrames.request(2, SERVICE, "1.0.0", "after"))
                .gap(Origin.CLIENT, 500)
                .client(DubboFrames.request(3, SERVICE, "1.0.0", "resynced"));
        assertEquals(List.of(1L, 2L, 3L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
        assertEquals(SERVICE + ".upload", h.requests().get(0).parsed().endpoint(), "names came before the gap");
        assertEquals(1, h.lost().size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void gapInsideHeaderOrUnknownGapDropsTheMessageAndResyncs() {
        byte[] r1 = DubboFrames.request(1, SERVICE, "1.0.0", "a");
        ParserHarness h = ParserHarness.open(new DubboProtocol())
                .client(java.util.Arrays.copyOf(r1, 10))
                .gap(Origin.CLIENT, 20)
                .client(java.util.Arrays.copyOfRange(r1, 30, r1.length))
                .client(DubboFrames.request(2, SERVICE, "1.0.0", "b"))
                .unknownGap(Origin.CLIENT)
                .client(DubboFrames.request(3, SERVICE, "1.0.0", "c"));
        assertEquals(List.of(2L, 3L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
        assertTrue(h.malformed().isEmpty(), "resync after a gap is quiet");
    }

    @Test
    void truncatedHessianBodyIsMalformedButFramed() {
        byte[] body = {0x05, '2', '.', '0', (byte) 0xff}; // string of 5 chars cut by an invalid byte
        ParserHarness h = ParserHarness.open(new DubboProtocol()).client(DubboFrames.frame(0xc2, 0, 4, body))
                .client(DubboFrames.request(5, SERVICE, "1.0.0", "ok"));
        assertEquals(2, h.requests().size());
        assertEquals(List.of("bad hessian2 request"), h.malformed().stream().map(m -> m.reason()).toList());
    }

    @Test
    void randomAndMutatedInputNeverThrowsNorReportsMoreMessagesThanHeaders() {
        Random random = new Random(42);
        byte[] valid = concat(DubboFrames.request(1, SERVICE, "1.0.0", "a"), DubboFrames.okResponse(1),
                DubboFrames.exceptionResponse(2, "E"), DubboFrames.heartbeatRequest(3));
        for (int round = 0; round < 2000; round++) {
            byte[] input = round % 2 == 0 ? new byte[random.nextInt(300)] : valid.clone();
            if (round % 2 == 0) {
                random.nextBytes(input);
            } else {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            ParserHarness h = ParserHarness.open(new DubboProtocol());
            h.feedInChunksOf(Origin.CLIENT, input, 1 + random.nextInt(64));
            h.gap(Origin.CLIENT, random.nextInt(100));
            h.feed(Origin.CLIENT, DubboFrames.request(99, SERVICE, "1.0.0", "after"));
            h.close();
            assertTrue(h.messages().size() <= input.length / 16 + 1, "round " + round);
        }
    }

    @Test
    void hugeAnnouncedBodyIsSkippedByGaps() {
        byte[] header = DubboFrames.frame(0xc2, 0, 8, new byte[0]);
        header[12] = 0x3f; // body length 0x3f000000 bytes, within the 1 GiB limit
        ParserHarness h = ParserHarness.open(new DubboProtocol()).client(header).gap(Origin.CLIENT, 0x3f000000L)
                .client(DubboFrames.request(9, SERVICE, "1.0.0", "next"));
        assertEquals(List.of(8L, 9L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
    }
}
