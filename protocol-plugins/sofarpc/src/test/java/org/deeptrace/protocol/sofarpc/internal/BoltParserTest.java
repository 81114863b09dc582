package org.deeptrace.protocol.sofarpc.internal;

import static org.deeptrace.protocol.sofarpc.internal.BoltFrames.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class BoltParserTest {
    private static final String SERVICE = "org.example.HelloService:1.0";
    private static final String TRACE = "0a0000011795630586646100126251";

    @Test
    void requestFieldsFromTheHeaderMap() {
        ParserHarness h = ParserHarness.open(new SofaRpcProtocol())
                .client(BoltFrames.sofaRequest(7, SERVICE, "sayHello", TRACE))
                .server(BoltFrames.okResponse(7));
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("SofaRPC", req.protocol());
        assertEquals("1", req.version());
        assertEquals(7L, req.requestId());
        assertEquals(SERVICE, req.requestDomain());
        assertEquals("sayHello", req.requestType());
        assertEquals("org.example.HelloService.sayHello", req.requestResource());
        assertEquals("org.example.HelloService.sayHello", req.endpoint());
        assertEquals(TRACE, req.traceId());
        assertTrue(req.expectsResponse());
        assertEquals(BoltFrames.sofaRequest(7, SERVICE, "sayHello", TRACE).length, req.size());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertEquals(0, resp.responseCode());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void legacyServiceKeyNullValuesAndOneWay() {
        byte[] headers = BoltFrames.headerMap("service", "org.example.Legacy:1.0:u1", "empty", null,
                SofaMessages.METHOD, "go");
        byte[] oneWay = BoltFrames.request(1, 3, headers, new byte[0]);
        oneWay[1] = 2; // REQUEST_ONEWAY
        ParserHarness h = ParserHarness.open(new SofaRpcProtocol()).client(oneWay);
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("org.example.Legacy.go", req.endpoint());
        assertFalse(req.expectsResponse());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void failuresStatusesAndHeartbeats() {
        ParserHarness h = ParserHarness.open(new SofaRpcProtocol())
                .client(BoltFrames.heartbeat(1))
                .server(BoltFrames.heartbeatAck(1))
                .server(BoltFrames.exceptionResponse(2, "org.example.HelloException"))
                .server(BoltFrames.errorResponse(3, "RPC-020100010: RPC cannot find service"))
                .server(BoltFrames.response(1, 4, 0x0004, new byte[0], new byte[0], false))
                .server(BoltFrames.response(1, 5, 0x0006, new byte[0], new byte[0], false))
                .server(BoltFrames.response(1, 6, 0x0007, new byte[0], new byte[0], false));
        assertEquals(2, h.messages(MessageType.SESSION).size());
        List<ParsedMessage> r = h.responses().stream().map(ParserHarness.Message::parsed).toList();
        assertEquals(ResponseStatus.SERVER_ERROR, r.get(0).responseStatus());
        assertEquals("org.example.HelloException", r.get(0).responseException());
        assertEquals("RPC-020100010: RPC cannot find service", r.get(1).responseException());
        assertEquals(ResponseStatus.SERVER_ERROR, r.get(2).responseStatus());
        assertEquals(4, r.get(2).responseCode());
        assertEquals(ResponseStatus.CLIENT_ERROR, r.get(3).responseStatus());
        assertEquals(ResponseStatus.ERROR, r.get(4).responseStatus());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void boltV2WithAndWithoutCrc() {
        byte[] req = BoltFrames.request(2, 9, BoltFrames.headerMap(SofaMessages.TARGET_SERVICE, SERVICE,
                SofaMessages.METHOD, "v2"), new byte[] {1, 2, 3});
        byte[] resp = BoltFrames.response(2, 9, 0, new byte[0], new byte[] {4, 5}, true);
        ParserHarness h = ParserHarness.open(new SofaRpcProtocol()).client(concat(req, req)).server(concat(resp,
                resp));
        assertEquals(2, h.requests().size());
        assertEquals("2", h.requests().get(0).parsed().version());
        assertEquals("org.example.HelloService.v2", h.requests().get(1).parsed().endpoint());
        assertEquals(2, h.responses().size());
        assertEquals(resp.length, h.responses().get(1).parsed().size(), "CRC32 counted");
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void outOfOrderResponsesAndSplitsAtEveryByte() {
        byte[] client = concat(BoltFrames.sofaRequest(1, SERVICE, "a", TRACE), BoltFrames.heartbeat(2),
                BoltFrames.sofaRequest(3, SERVICE, "b", null));
        byte[] server = concat(BoltFrames.exceptionResponse(3, "E"), BoltFrames.heartbeatAck(2),
                BoltFrames.okResponse(1));
        List<String> expected = ParserHarness.open(new SofaRpcProtocol()).client(client).server(server)
                .messages().stream().map(m -> m.parsed().toString()).toList();
        assertEquals(6, expected.size());
        for (int cut = 1; cut < client.length; cut += 3) {
            ParserHarness h = ParserHarness.open(new SofaRpcProtocol()).feedSplit(Origin.CLIENT, client, cut)
                    .feedSplit(Origin.SERVER, server, Math.min(cut, server.length));
            assertEquals(expected, h.messages().stream().map(m -> m.parsed().toString()).toList(), "cut " + cut);
        }
        ParserHarness bytes = ParserHarness.open(new SofaRpcProtocol()).feedInChunksOf(Origin.CLIENT, client, 1)
                .feedInChunksOf(Origin.SERVER, server, 1);
        assertEquals(expected, bytes.messages().stream().map(m -> m.parsed().toString()).toList());
    }

    @Test
    void garbageIsReportedOnceAndTheNextCommandResyncs() {
        byte[] garbage = "\u0001\u0001\u0000\u0009garbage that is not bolt at all".getBytes(StandardCharsets.UTF_8);
        ParserHarness h = ParserHarness.open(new SofaRpcProtocol())
                .client(concat(garbage, BoltFrames.sofaRequest(5, SERVICE, "m", null)));
        assertEquals(1, h.malformed().size());
        assertEquals(List.of(5L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
        assertEquals(garbage.length, h.requests().get(0).start());
    }

    @Test
    void gapsKeepOrDropTheFramingNeverStick() {
        byte[] r1 = BoltFrames.sofaRequest(1, SERVICE, "first", TRACE);
        ParserHarness h = ParserHarness.open(new SofaRpcProtocol())
                .client(Arrays.copyOf(r1, r1.length - 2)) // header map kept, content partly lost
                .gap(Origin.CLIENT, 2)
                .client(BoltFrames.sofaRequest(2, SERVICE, "second", null))
                .gap(Origin.CLIENT, 300) // between commands: lost
                .client(BoltFrames.sofaRequest(3, SERVICE, "third", null))
                .client(Arrays.copyOf(r1, 10))
                .gap(Origin.CLIENT, 5) // inside the fixed part: dropped
                .client(Arrays.copyOfRange(r1, 15, r1.length))
                .unknownGap(Origin.CLIENT)
                .client(BoltFrames.sofaRequest(4, SERVICE, "fourth", null));
        assertEquals(List.of(1L, 2L, 3L, 4L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
        assertEquals("org.example.HelloService.first", h.requests().get(0).parsed().endpoint());
        assertEquals(1, h.lost().size());
    }

    @Test
    void truncatedHeaderMapIsMalformedButFramed() {
        byte[] bad = BoltFrames.request(1, 1, new byte[] {0, 0, 0, 9, 'k'}, new byte[0]);
        ParserHarness h = ParserHarness.open(new SofaRpcProtocol()).client(bad)
                .client(BoltFrames.sofaRequest(2, SERVICE, "ok", null));
        assertEquals(2, h.requests().size());
        assertNull(h.requests().get(0).parsed().endpoint());
        assertEquals(List.of("bad header map"), h.malformed().stream().map(m -> m.reason()).toList());
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random random = new Random(7);
        byte[] valid = concat(BoltFrames.sofaRequest(1, SERVICE, "a", TRACE), BoltFrames.heartbeat(2),
                BoltFrames.exceptionResponse(1, "E"), BoltFrames.errorResponse(2, "x"));
        for (int round = 0; round < 2000; round++) {
            byte[] input = round % 2 == 0 ? new byte[random.nextInt(300)] : valid.clone();
            if (round % 2 == 0) {
                random.nextBytes(input);
            } else {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            ParserHarness h = ParserHarness.open(new SofaRpcProtocol());
            h.feedInChunksOf(Origin.CLIENT, input, 1 + random.nextInt(64));
            h.feedInChunksOf(Origin.SERVER, input, 1 + random.nextInt(64));
            h.gap(Origin.CLIENT, random.nextInt(100));
            h.feed(Origin.CLIENT, BoltFrames.sofaRequest(99, SERVICE, "after", null));
            h.close();
            assertTrue(h.messages().size() <= 2 * (input.length / 20) + 1, "round " + round);
        }
    }
}
