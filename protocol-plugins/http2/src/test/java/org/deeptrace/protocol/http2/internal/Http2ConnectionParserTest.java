package org.deeptrace.protocol.http2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class Http2ConnectionParserTest {

    private static final String[] GET = {":method", "GET", ":scheme", "http", ":path", "/api/items?page=2",
        ":authority", "example.com:8080", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "x-request-id", "req-42"};

    /** A sink without the harness's "no overlap" rule: interleaved streams overlap by design. */
    private static final class Recorder implements MessageSink {
        record M(Origin origin, ParsedMessage m, long start, long end) {
        }

        final List<M> messages = new ArrayList<>();
        final List<String> malformed = new ArrayList<>();

        @Override
        public void message(Origin origin, ParsedMessage message, long start, long end) {
            messages.add(new M(origin, message, start, end));
        }

        @Override
        public void malformed(Origin origin, String reason) {
            malformed.add(reason);
        }
    }

    private static void feed(ConnectionParser p, Origin o, long offset, byte[] b, Recorder r) {
        p.onData(o, offset, ByteBuffer.wrap(b), r);
    }

    @Test
    void simpleGetWithFieldsOffsetsAndSizes() {
        Frames c = Frames.client();
        int requestStart = c.size();
        c.headers(1, true, GET);
        Frames s = Frames.server();
        int responseStart = s.size();
        s.headers(1, false, ":status", "404", "content-type", "text/plain").data(1, false, 100).data(1, true, 0);
        ParserHarness h = ParserHarness.open(new Http2Protocol()).client(c.bytes()).server(s.bytes()).close();
        assertEquals(2, h.messages().size(), h.messages().toString());
        ParserHarness.Message req = h.requests().get(0);
        ParsedMessage m = req.parsed();
        assertEquals("HTTP2", m.protocol());
        assertEquals("2", m.version());
        assertEquals(1L, m.requestId());
        assertEquals("GET", m.requestType());
        assertEquals("example.com:8080", m.requestDomain());
        assertEquals("/api/items?page=2", m.requestResource());
        assertEquals("/api/items", m.endpoint());
        assertEquals("0af7651916cd43dd8448eb211c80319c", m.traceId());
        assertEquals("b7ad6b7169203331", m.spanId());
        assertEquals("req-42", m.xRequestId());
        assertEquals(requestStart, req.start());
        assertEquals(c.size(), req.end());
        assertEquals(c.size() - requestStart, m.size());
        ParserHarness.Message resp = h.responses().get(0);
        assertEquals(404, resp.parsed().responseCode());
        assertEquals(ResponseStatus.CLIENT_ERROR, resp.parsed().responseStatus());
        assertEquals(1L, resp.parsed().requestId());
        assertEquals(responseStart, resp.start());
        assertEquals(s.size(), resp.end());
        assertEquals(s.size() - responseStart, resp.parsed().size());
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
    }

    @Test
    void splitAtEveryByteGivesTheSameMessages() {
        Frames c = Frames.client().headers(1, false, GET).data(1, true, 30).headers(3, true, GET);
        Frames s = Frames.server().headers(1, false, ":status", "200").data(1, true, 5)
                .headers(3, true, ":status", "503");
        byte[] cb = c.bytes();
        byte[] sb = s.bytes();
        List<String> expected = null;
        for (int cut = 1; cut < Math.max(cb.length, sb.length); cut++) {
            ParserHarness h = ParserHarness.open(new Http2Protocol())
                    .feedSplit(Origin.CLIENT, cb, Math.min(cut, cb.length - 1))
                    .feedSplit(Origin.SERVER, sb, Math.min(cut, sb.length - 1)).close();
            List<String> got = h.messages().stream().map(x -> x.origin() + " " + x.start() + "-" + x.end() + " "
                    + x.parsed()).toList();
            if (expected == null) {
                expected = got;
                assertEquals(4, got.size(), got.toString());
            }
            assertEquals(expected, got, "cut at " + cut);
            assertTrue(h.malformed().isEmpty());
        }
        ParserHarness one = ParserHarness.open(new Http2Protocol()).feedInChunksOf(Origin.CLIENT, cb, 1)
                .feedInChunksOf(Origin.SERVER, sb, 1).close();
        assertEquals(expected, one.messages().stream().map(x -> x.origin() + " " + x.start() + "-" + x.end() + " "
                + x.parsed()).toList());
    }

    @Test
    void interleavedStreamsCompleteOutOfOrder() {
        Frames c = Frames.client().headers(1, false, GET).headers(3, false, GET).data(3, true, 10).data(1, true, 10);
        Frames s = Frames.server().headers(3, true, ":status", "500").headers(1, false, ":status", "200")
                .data(1, true, 3);
        Recorder r = new Recorder();
        ConnectionParser p = new Http2Protocol().open(ParserHarness.DEFAULT_CONNECTION);
        feed(p, Origin.CLIENT, 0, c.bytes(), r);
        feed(p, Origin.SERVER, 0, s.bytes(), r);
        assertEquals(List.of(3L, 1L, 3L, 1L), r.messages.stream().map(x -> x.m().requestId()).toList());
        assertEquals(MessageType.REQUEST, r.messages.get(0).m().type());
        assertEquals(500, r.messages.get(2).m().responseCode());
        assertEquals(ResponseStatus.SERVER_ERROR, r.messages.get(2).m().responseStatus());
        // Stream 1's request spans from its HEADERS to its last DATA frame, around stream 3's frames.
        Recorder.M one = r.messages.get(1);
        assertTrue(one.start() < r.messages.get(0).start() && one.end() == c.size());
        assertTrue(r.malformed.isEmpty());
    }

    @Test
    void continuationPaddingAndPriorityAreJoined() {
        byte[] block = Frames.block(GET);
        int cut = 10;
        byte[] first = new byte[1 + 5 + cut + 4]; // pad length, priority, fragment, 4 bytes of padding
        first[0] = 4;
        System.arraycopy(block, 0, first, 6, cut);
        byte[] rest = java.util.Arrays.copyOfRange(block, cut, block.length);
        Frames c = Frames.client()
                .frame(Http2Frames.HEADERS, Http2Frames.FLAG_PADDED | Http2Frames.FLAG_PRIORITY
                        | Http2Frames.FLAG_END_STREAM, 1, first)
                .frame(Http2Frames.CONTINUATION, 0, 1, java.util.Arrays.copyOfRange(rest, 0, 5))
                .frame(Http2Frames.CONTINUATION, Http2Frames.FLAG_END_HEADERS, 1,
                        java.util.Arrays.copyOfRange(rest, 5, rest.length));
        // Padded DATA is skipped by its length alone.
        Frames s = Frames.server().headers(1, false, ":status", "200")
                .frame(Http2Frames.DATA, Http2Frames.FLAG_PADDED | Http2Frames.FLAG_END_STREAM, 1,
                        new byte[] {3, 'a', 'b', 0, 0, 0});
        ParserHarness h = ParserHarness.open(new Http2Protocol()).client(c.bytes()).server(s.bytes());
        assertEquals("/api/items?page=2", h.requests().get(0).parsed().requestResource());
        assertEquals(200, h.responses().get(0).parsed().responseCode());
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
    }

    @Test
    void grpcCallWithTrailers() {
        Frames c = Frames.client().headers(1, false, ":method", "POST", ":scheme", "http",
                ":path", "/helloworld.Greeter/SayHello", ":authority", "localhost:50051",
                "content-type", "application/grpc+proto", "te", "trailers").data(1, true, 12);
        Frames s = Frames.server().headers(1, false, ":status", "200", "content-type", "application/grpc")
                .data(1, false, 20).headers(1, true, "grpc-status", "5", "grpc-message", "user%20not%20found%3A%20%C3%A9");
        ParserHarness h = ParserHarness.open(new Http2Protocol()).client(c.bytes()).server(s.bytes());
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("gRPC", req.protocol());
        assertEquals("/helloworld.Greeter/SayHello", req.endpoint());
        assertEquals("POST", req.requestType());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals("gRPC", resp.protocol());
        assertEquals(5, resp.responseCode());
        assertEquals(ResponseStatus.CLIENT_ERROR, resp.responseStatus());
        assertEquals("user not found: \u00e9", resp.responseException());
    }

    @Test
    void grpcTrailersOnlyErrorResponse() {
        Frames c = Frames.client().headers(1, false, ":method", "POST", ":path", "/pkg.Svc/Call",
                "content-type", "application/grpc").data(1, true, 5);
        Frames s = Frames.server().headers(1, true, ":status", "200", "grpc-status", "14", "grpc-message", "down");
        ParserHarness h = ParserHarness.open(new Http2Protocol()).client(c.bytes()).server(s.bytes());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals("gRPC", resp.protocol());
        assertEquals(14, resp.responseCode());
        assertEquals(ResponseStatus.SERVER_ERROR, resp.responseStatus());
        assertEquals("down", resp.responseException());
    }

    @Test
    void rstStreamAndGoawayEndRequestsWithoutResponse() {
        Frames c = Frames.client().headers(1, false, GET).headers(3, false, GET).headers(5, false, GET).rst(1);
        Frames s = Frames.server().goaway(3);
        Recorder r = new Recorder();
        ConnectionParser p = new Http2Protocol().open(ParserHarness.DEFAULT_CONNECTION);
        feed(p, Origin.CLIENT, 0, c.bytes(), r);
        assertEquals(List.of(1L), r.messages.stream().map(x -> x.m().requestId()).toList());
        feed(p, Origin.SERVER, 0, s.bytes(), r);
        assertEquals(List.of(1L, 5L), r.messages.stream().map(x -> x.m().requestId()).toList());
        p.onClose(r);
        assertEquals(List.of(1L, 5L, 3L), r.messages.stream().map(x -> x.m().requestId()).toList());
        assertTrue(r.messages.stream().allMatch(x -> x.m().type() == MessageType.REQUEST));
    }

    @Test
    void garbageIsMalformedAndAPlausibleLaterChunkResyncs() {
        Frames c = Frames.client().headers(1, true, GET);
        byte[] garbage = "this is not a frame header at all".getBytes();
        Frames later = Frames.none().headers(3, true, ":method", "GET", ":path", "/later");
        Recorder r = new Recorder();
        ConnectionParser p = new Http2Protocol().open(ParserHarness.DEFAULT_CONNECTION);
        feed(p, Origin.CLIENT, 0, c.bytes(), r);
        feed(p, Origin.CLIENT, c.size(), garbage, r);
        assertFalse(r.malformed.isEmpty());
        feed(p, Origin.CLIENT, c.size() + garbage.length, "more junk".getBytes(), r);
        feed(p, Origin.CLIENT, c.size() + garbage.length + 9, later.bytes(), r);
        assertEquals(List.of(1L, 3L), r.messages.stream().map(x -> x.m().requestId()).toList());
        assertEquals("/later", r.messages.get(1).m().requestResource());
    }

    @Test
    void connectionPickedUpMidwayKeepsGoingWithUnknownHeaders() {
        // No preface: the capture starts after the HPACK table was filled. 0xbe (index 62) is unknown here.
        byte[] block = {(byte) 0x83, (byte) 0xbe, 0x04, 0x02, '/', 'x'};
        Frames c = Frames.none().frame(Http2Frames.HEADERS, 5, 7, block);
        Frames s = Frames.none().frame(Http2Frames.HEADERS, 5, 7, new byte[] {(byte) 0x88, (byte) 0xc0});
        Recorder r = new Recorder();
        ConnectionParser p = new Http2Protocol().open(ParserHarness.DEFAULT_CONNECTION);
        feed(p, Origin.CLIENT, 5000, c.bytes(), r);
        feed(p, Origin.SERVER, 9000, s.bytes(), r);
        assertEquals(2, r.messages.size());
        assertEquals("POST", r.messages.get(0).m().requestType());
        assertEquals("/x", r.messages.get(0).m().requestResource());
        assertNull(r.messages.get(0).m().requestDomain());
        assertEquals(200, r.messages.get(1).m().responseCode());
        assertTrue(r.malformed.isEmpty(), r.malformed.toString());
    }

    @Test
    void gapInsideABodyLosesNothingAndUnknownGapResyncs() {
        Frames c = Frames.client().headers(1, false, GET);
        int bodyHeader = c.size();
        c.data(1, true, 1000);
        byte[] b = c.bytes();
        ParserHarness h = ParserHarness.open(new Http2Protocol())
                .feed(Origin.CLIENT, b, 0, bodyHeader + 9 + 100).gap(Origin.CLIENT, 800)
                .feed(Origin.CLIENT, b, bodyHeader + 9 + 900, b.length);
        assertEquals(1, h.requests().size());
        assertEquals(b.length - Http2Frames.PREFACE.length - 15, h.requests().get(0).parsed().size());
        h.unknownGap(Origin.CLIENT).client(Frames.none().headers(3, true, ":method", "PUT").bytes());
        assertEquals("PUT", h.requests().get(1).parsed().requestType());
    }

    @Test
    void oversizedHeaderBlockIsDroppedWithoutBufferingIt() {
        String big = "x".repeat(Http2ConnectionParser.MAX_HEADER_BLOCK + 10);
        Frames c = Frames.client().headers(1, true, ":method", "GET", "cookie", big).headers(3, true, GET);
        ParserHarness h = ParserHarness.open(new Http2Protocol()).client(c.bytes());
        assertEquals(List.of("header block too large"), h.malformed().stream().map(ParserHarness.Malformed::reason)
                .toList());
        assertEquals(2, h.requests().size());
        // The table was forgotten with the dropped block, but stream 3's literals are still read.
        assertEquals("/api/items", h.requests().get(1).parsed().endpoint());
    }

    @Test
    void informationalHeadIsReplacedByTheFinalResponse() {
        Frames c = Frames.client().headers(1, false, ":method", "PUT", ":path", "/up", "expect", "100-continue")
                .data(1, true, 50);
        Frames s = Frames.server().headers(1, false, ":status", "100").headers(1, false, ":status", "201")
                .data(1, true, 0);
        ParserHarness h = ParserHarness.open(new Http2Protocol()).client(c.bytes()).server(s.bytes());
        assertEquals(1, h.responses().size());
        assertEquals(201, h.responses().get(0).parsed().responseCode());
    }

    @Test
    void undecodableHeaderBlockIsMalformedButFramingGoesOn() {
        // 0xff 0xff ... : an indexed field whose integer never ends.
        Frames c = Frames.client().frame(Http2Frames.HEADERS, 5, 1, new byte[] {(byte) 0xff, (byte) 0xff})
                .headers(3, true, ":method", "GET", ":path", "/ok");
        ParserHarness h = ParserHarness.open(new Http2Protocol()).client(c.bytes());
        assertEquals(List.of("bad header block"), h.malformed().stream().map(ParserHarness.Malformed::reason)
                .toList());
        assertEquals(List.of(1L, 3L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
        assertNull(h.requests().get(0).parsed().requestType());
        assertEquals("/ok", h.requests().get(1).parsed().endpoint());
    }
}
