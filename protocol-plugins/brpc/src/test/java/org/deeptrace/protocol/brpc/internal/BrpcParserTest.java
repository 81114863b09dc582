package org.deeptrace.protocol.brpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class BrpcParserTest {

    private static ParserHarness harness() {
        return ParserHarness.open(new BrpcProtocol());
    }

    @Test
    void requestAndResponseFields() {
        Frames reqMeta = new Frames().string(1, "example.EchoService").string(2, "Echo").varint(3, 77)
                .varint(4, 0x1234_5678_9abc_def0L).varint(5, 42).varint(8, 500);
        byte[] request = Frames.frame(new Frames().message(1, reqMeta).varint(3, 0).varint(4, 9).varint(5, 3)
                .toBytes(), 20);
        ParserHarness h = harness().client(request).server(Frames.response(9, 0, null, 7)).close();

        assertEquals(2, h.messages().size());
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("bRPC", req.protocol());
        assertEquals("example.EchoService", req.requestDomain());
        assertEquals("Echo", req.requestType());
        assertEquals("example.EchoService.Echo", req.endpoint());
        assertEquals("example.EchoService.Echo", req.requestResource());
        assertEquals(9L, req.requestId());
        assertEquals("123456789abcdef0", req.traceId());
        assertEquals("000000000000002a", req.spanId());
        assertEquals("77", req.xRequestId(), "log_id when no request id string");
        assertEquals(request.length, req.size());
        assertEquals(0, h.requests().get(0).start());
        assertEquals(request.length, h.requests().get(0).end());

        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(MessageType.RESPONSE, resp.type());
        assertEquals(9L, resp.requestId());
        assertEquals(0, resp.responseCode());
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertNull(resp.responseException());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void errorCodesMapToStatuses() {
        ParserHarness h = harness()
                .server(Frames.concat(Frames.response(1, 1002, "Fail to find method", 0),
                        Frames.response(2, 2001, "internal", 0), Frames.response(3, 5, "EIO", 0),
                        Frames.response(4, 0, "", 0)))
                .close();
        List<ParsedMessage> r = h.responses().stream().map(ParserHarness.Message::parsed).toList();
        assertEquals(List.of(ResponseStatus.CLIENT_ERROR, ResponseStatus.SERVER_ERROR, ResponseStatus.ERROR,
                ResponseStatus.OK), r.stream().map(ParsedMessage::responseStatus).toList());
        assertEquals("Fail to find method", r.get(0).responseException());
        assertEquals(1002, r.get(0).responseCode());
        assertNull(r.get(3).responseException());
    }

    @Test
    void requestIdStringOfBrpcAndExtFieldOfBrpcJava() {
        Frames cpp = new Frames().string(1, "S").string(2, "M").string(7, "req-abc-1");
        Frames ext = new Frames().string(1, "x-request-id").string(2, "java-7");
        Frames java = new Frames().string(1, "S").string(2, "M").message(7, new Frames().string(1, "other")
                .string(2, "v")).message(7, ext);
        ParserHarness h = harness()
                .client(Frames.frame(new Frames().message(1, cpp).varint(4, 1).toBytes(), 0))
                .client(Frames.frame(new Frames().message(1, java).varint(4, 2).toBytes(), 0)).close();
        assertEquals("req-abc-1", h.requests().get(0).parsed().xRequestId());
        assertEquals("java-7", h.requests().get(1).parsed().xRequestId());
    }

    @Test
    void sameMessagesForEverySplitAndForOneByteChunks() {
        byte[] stream = Frames.concat(Frames.request(1, "svc.A", "m1", 30), Frames.request(2, "svc.B", "m2", 0),
                Frames.request(3, "svc.C", "m3", 300));
        List<String> expected = endpoints(harness().client(stream).close());
        assertEquals(List.of("svc.A.m1", "svc.B.m2", "svc.C.m3"), expected);
        for (int cut = 1; cut < stream.length; cut++) {
            assertEquals(expected, endpoints(harness().feedSplit(Origin.CLIENT, stream, cut).close()), "cut " + cut);
        }
        assertEquals(expected, endpoints(harness().feedInChunksOf(Origin.CLIENT, stream, 1).close()));
    }

    @Test
    void gapInsideThePayloadKeepsTheFraming() {
        byte[] first = Frames.request(1, "svc", "big", 1000);
        byte[] second = Frames.request(2, "svc", "next", 5);
        ParserHarness h = harness().feed(Origin.CLIENT, first, 0, 100).gap(Origin.CLIENT, 800)
                .feed(Origin.CLIENT, first, 900, first.length).client(second).close();
        assertEquals(List.of("svc.big", "svc.next"), endpoints(h));
        assertEquals(first.length, h.requests().get(0).parsed().size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void gapInsideTheMetaStillFramesTheMessage() {
        byte[] first = Frames.request(1, "a.very.long.service.Name", "method", 10);
        byte[] second = Frames.request(2, "svc", "next", 5);
        ParserHarness h = harness().feed(Origin.CLIENT, first, 0, 20).gap(Origin.CLIENT, 10)
                .feed(Origin.CLIENT, first, 30, first.length).client(second).close();
        assertEquals(2, h.requests().size());
        assertNull(h.requests().get(0).parsed().endpoint(), "the names were cut");
        assertEquals("svc.next", h.requests().get(1).parsed().endpoint());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void gapBetweenMessagesIsLostThenResyncsOnTheNextHeader() {
        byte[] a = Frames.request(1, "svc", "a", 10);
        byte[] b = Frames.request(2, "svc", "b", 10);
        ParserHarness h = harness().client(a).gap(Origin.CLIENT, 500).client(b).close();
        assertEquals(List.of("svc.a", "svc.b"), endpoints(h));
        assertEquals(1, h.lost().size());
        assertEquals(a.length, h.lost().get(0).start());
        assertEquals(a.length + 500, h.lost().get(0).end());
    }

    @Test
    void gapLongerThanTheMessageEndsItAndResyncsInsideALaterChunk() {
        byte[] a = Frames.request(1, "svc", "a", 100);
        byte[] b = Frames.request(2, "svc", "b", 10);
        byte[] tailThenB = Frames.concat(new byte[] {1, 2, 3, 'P', 'R'}, b);
        ParserHarness h = harness().feed(Origin.CLIENT, a, 0, 50).gap(Origin.CLIENT, a.length - 50 + 300)
                .client(tailThenB).close();
        assertEquals(List.of("svc.a", "svc.b"), endpoints(h));
        assertEquals(1, h.lost().size());
    }

    @Test
    void unknownGapAndGarbageResyncNeverStuck() {
        byte[] a = Frames.request(1, "svc", "a", 10);
        ParserHarness h = harness().feed(Origin.CLIENT, a, 0, 15).unknownGap(Origin.CLIENT)
                .client("garbage that is not brpc at all".getBytes()).client(a).close();
        assertEquals(List.of("svc.a"), endpoints(h));

        ParserHarness bad = harness().client("HTTP/1.1 200 OK\r\n\r\n".getBytes()).client(a).close();
        assertEquals(List.of("svc.a"), endpoints(bad));
        assertEquals(1, bad.malformed().size());
        assertEquals("bad magic", bad.malformed().get(0).reason());
    }

    @Test
    void badSizesAndBadMetaAreMalformed() {
        byte[] metaLargerThanBody = {'P', 'R', 'P', 'C', 0, 0, 0, 4, 0, 0, 0, 9};
        ParserHarness h = harness().client(metaLargerThanBody).client(Frames.request(1, "s", "m", 0)).close();
        assertEquals("bad sizes", h.malformed().get(0).reason());
        assertEquals(1, h.requests().size());

        byte[] badMeta = Frames.frame(new byte[] {0x0F, 0x01, 0x02}, 4); // wire type 7
        ParserHarness m = harness().client(badMeta).client(Frames.request(1, "s", "m", 0)).close();
        assertEquals("bad meta", m.malformed().get(0).reason());
        assertEquals(List.of("s.m"), endpoints(m), "the framing survives a bad meta");

        byte[] truncatedField = Frames.frame(new byte[] {0x0A, 0x7F, 0x01}, 0);
        assertEquals("bad meta", harness().client(truncatedField).close().malformed().get(0).reason());
    }

    @Test
    void hugeBodySkippedByAGapAndAMetaBeyondTheKeepLimit() {
        byte[] meta = new Frames().message(1, new Frames().string(1, "s").string(2, "big")).varint(4, 1).toBytes();
        long bodySize = 0x3FFF_FF00L;
        byte[] header = java.nio.ByteBuffer.allocate(12).put("PRPC".getBytes()).putInt((int) bodySize)
                .putInt(meta.length).array();
        ParserHarness h = harness().client(Frames.concat(header, meta)).gap(Origin.CLIENT, bodySize - meta.length)
                .client(Frames.request(2, "s", "after", 0)).close();
        assertEquals("s.big", h.requests().get(0).parsed().endpoint());
        assertEquals(12 + bodySize, h.requests().get(0).parsed().size());
        assertEquals(2, h.requests().size(), h.malformed().toString());
        assertEquals("s.after", h.requests().get(1).parsed().endpoint());

        String longService = "s".repeat(100_000);
        byte[] bigMeta = Frames.request(3, longService, "m", 0);
        ParserHarness big = harness().client(bigMeta).client(Frames.request(4, "s", "m", 0)).close();
        assertEquals(2, big.requests().size());
        assertEquals(4L, big.requests().get(1).parsed().requestId());
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random random = new Random(4);
        byte[] valid = Frames.concat(Frames.request(1, "svc", "a", 40), Frames.response(1, 2001, "x", 3));
        for (int i = 0; i < 3000; i++) {
            byte[] input = i % 2 == 0 ? new byte[random.nextInt(200)] : valid.clone();
            if (i % 2 == 0) {
                random.nextBytes(input);
                if (input.length > 12 && random.nextBoolean()) {
                    System.arraycopy("PRPC".getBytes(), 0, input, 0, 4);
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
            assertTrue(h.messages().size() <= 2 * input.length / 12 + 1);
        }
    }

    private static List<String> endpoints(ParserHarness h) {
        return h.messages().stream().map(m -> m.parsed().endpoint()).toList();
    }
}
