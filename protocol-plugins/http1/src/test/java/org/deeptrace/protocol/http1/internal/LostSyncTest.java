package org.deeptrace.protocol.http1.internal;

import static org.deeptrace.protocol.http1.internal.Fixtures.ascii;
import static org.deeptrace.protocol.http1.internal.Fixtures.client;
import static org.deeptrace.protocol.http1.internal.Fixtures.concat;
import static org.deeptrace.protocol.http1.internal.Fixtures.endOfHead;
import static org.deeptrace.protocol.http1.internal.Fixtures.server;
import static org.deeptrace.protocol.http1.internal.Fixtures.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.deeptrace.testkit.ParserHarness.Malformed;
import org.deeptrace.testkit.ParserHarness.Message;
import org.junit.jupiter.api.Test;

/** Gaps, garbage and protocol switches: report, resynchronise, never throw, never buffer without bound. */
class LostSyncTest {

    private static final String GET_A = "GET /a?x=1 HTTP/1.1\r\nHost: svc\r\nX-Request-Id: first\r\n\r\n";
    private static final String GET_B = "GET /b HTTP/1.1\r\nHost: svc\r\nX-Request-Id: second\r\n\r\n";

    private static ParserHarness harness() {
        return ParserHarness.open(new Http1Protocol());
    }

    private static List<String> endpoints(List<Message> messages) {
        return messages.stream().map(m -> m.parsed().endpoint()).toList();
    }

    private static List<Malformed> malformed(Origin origin, String reason) {
        return List.of(new Malformed(origin, reason));
    }

    @Test
    void aGapBetweenTwoResponsesIsReportedAsLostMessagesNotAsMalformedBytes() {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        ParserHarness h = harness().client(GET_A + GET_B + GET_A)
                .server(ok)
                .gap(Origin.SERVER, ok.length()) // the second response was never captured
                .server(ok);
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        assertEquals(List.of(new ParserHarness.Lost(Origin.SERVER, ok.length(), 2L * ok.length())), h.lost());
        assertEquals(2, h.responses().size());
        assertEquals(2L * ok.length(), h.responses().get(1).start());
    }

    @Test
    void unknownGapInBodyEmitsTheResponseAndResyncsAtTheNextStatusLine() {
        byte[] s = server("big-then-small");
        int head = endOfHead(s, 0);
        int bodyEnd = head + 100_000;
        ParserHarness h = harness().client(client("big-then-small"))
                .server(slice(s, 0, head + 1000))
                .unknownGap(Origin.SERVER)
                .server(slice(s, head + 50_000, head + 51_000)) // body bytes: not a message start, dropped
                .server(slice(s, bodyEnd, s.length));
        assertEquals(malformed(Origin.SERVER, "gap of unknown length"), h.malformed());
        assertEquals(2, h.responses().size());
        Message cut = h.responses().get(0);
        assertEquals(head + 1000, cut.end(), "ends at the last byte seen");
        assertEquals(bodyEnd, cut.parsed().size(), "the wire size is known from Content-Length");
        assertEquals(200, h.responses().get(1).parsed().responseCode());
        assertEquals(s.length - bodyEnd, h.responses().get(1).parsed().size());
    }

    @Test
    void gapInsideHeadersEmitsWhatTheHeadSaysAndResyncs() {
        ParserHarness h = harness()
                .client("POST /orders?id=7 HTTP/1.1\r\nHost: shop\r\nX-Request-Id: cut\r\nContent-Le")
                .gap(Origin.CLIENT, 80)
                .client("ngth: 5\r\n\r\nhello") // continuation of the lost head: not a message start
                .client(GET_B);
        assertEquals(malformed(Origin.CLIENT, "gap in message head"), h.malformed());
        List<Message> requests = h.requests();
        assertEquals(2, requests.size());
        ParsedMessage partial = requests.get(0).parsed();
        assertEquals("POST", partial.requestType());
        assertEquals("/orders?id=7", partial.requestResource());
        assertEquals("shop", partial.requestDomain());
        assertEquals("cut", partial.xRequestId());
        assertEquals(requests.get(0).end() - requests.get(0).start(), partial.size());
        assertEquals("second", requests.get(1).parsed().xRequestId());
    }

    @Test
    void gapInChunkFramingLosesSync() {
        byte[] s = server("chunked-trailers");
        int head = endOfHead(s, 0);
        ParserHarness h = harness().client(client("chunked-trailers"))
                .server(slice(s, 0, head + 10))   // the first chunk-size line and 6 data bytes
                .gap(Origin.SERVER, 200)         // far past that 30-byte chunk
                .server(server("errors"));
        assertEquals(malformed(Origin.SERVER, "gap in chunk framing"), h.malformed());
        assertEquals(List.of(200, 404, 503), h.responses().stream().map(m -> m.parsed().responseCode()).toList());
        assertEquals(head + 10, h.responses().get(0).parsed().size());
    }

    @Test
    void gapWithinChunkDataIsCountedAndKeepsSync() {
        byte[] s = server("chunked-trailers");
        int dataStart = endOfHead(s, 0) + 4; // after "1e\r\n"
        ParserHarness h = harness().client(client("chunked-trailers"))
                .server(slice(s, 0, dataStart + 3))
                .gap(Origin.SERVER, 20)
                .server(slice(s, dataStart + 23, s.length));
        assertTrue(h.malformed().isEmpty());
        assertEquals(s.length, h.responses().get(0).parsed().size());
        assertEquals(s.length, h.responses().get(0).end());
    }

    @Test
    void gapLongerThanTheBodyCompletesItThenLosesTheNextHead() {
        byte[] s = server("errors");
        int firstEnd = endOfHead(s, 0) + 153;
        ParserHarness h = harness().client(client("errors"))
                .server(slice(s, 0, firstEnd - 53))
                .gap(Origin.SERVER, 53 + 20) // the rest of the 404 body and the start of the 503
                .server(slice(s, firstEnd + 20, s.length))
                .server(server("keepalive"));
        assertEquals(malformed(Origin.SERVER, "gap in message head"), h.malformed());
        List<Message> responses = h.responses();
        assertEquals(404, responses.get(0).parsed().responseCode());
        assertEquals(firstEnd, responses.get(0).end());
        assertEquals(4, responses.size(), "the 404, then the three responses of the next chunk");
    }

    @Test
    void gapBetweenMessagesIsReportedAndTheNextRequestParses() {
        ParserHarness h = harness().client(GET_A).gap(Origin.CLIENT, 40).client(GET_B);
        assertTrue(h.malformed().isEmpty());
        assertEquals(List.of(new ParserHarness.Lost(Origin.CLIENT, GET_A.length(), GET_A.length() + 40)), h.lost());
        assertEquals(List.of("/a", "/b"), endpoints(h.requests()));
        assertEquals(GET_A.length() + 40, h.requests().get(1).start());
    }

    @Test
    void binaryGarbageIsReportedAndTheNextRequestParses() {
        Random random = new Random(42);
        byte[] garbage = new byte[3000];
        random.nextBytes(garbage);
        garbage[0] = (byte) 0x16; // a TLS record, say
        ParserHarness h = harness().client(garbage).client("more garbage, not a request line").client(GET_B);
        assertEquals(malformed(Origin.CLIENT, "invalid start line"), h.malformed());
        assertEquals(List.of("/b"), endpoints(h.requests()));
        assertEquals(garbage.length + 32, h.requests().get(0).start());

        ParserHarness s = harness().server(garbage).server(server("errors"));
        assertEquals(malformed(Origin.SERVER, "invalid start line"), s.malformed());
        assertEquals(2, s.responses().size());
    }

    @Test
    void garbageAfterAPlausibleMethodIsCaughtAtItsFirstBadByte() {
        byte[] bytes = concat(ascii("GET /path\u0000\u0001"), new byte[100_000]);
        ParserHarness h = harness().client(bytes).client(GET_A);
        assertEquals(malformed(Origin.CLIENT, "invalid start line"), h.malformed());
        assertEquals(List.of("/a"), endpoints(h.requests()));
        // HTTP/2's preface is not HTTP/1.
        ParserHarness h2 = harness().client("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertEquals(malformed(Origin.CLIENT, "invalid start line"), h2.malformed());
        assertTrue(h2.messages().isEmpty());
    }

    @Test
    void headerSectionOver64KiBIsRefusedWithoutBufferingMore() {
        StringBuilder huge = new StringBuilder("GET /huge HTTP/1.1\r\nHost: svc\r\n");
        while (huge.length() < 70_000) {
            huge.append("X-Filler: ").append("f".repeat(100)).append("\r\n");
        }
        huge.append("\r\n");
        ParserHarness h = harness().feedInChunksOf(Origin.CLIENT, ascii(huge.toString()), 1024).client(GET_B);
        assertEquals(malformed(Origin.CLIENT, "header section too large"), h.malformed());
        List<Message> requests = h.requests();
        assertEquals(List.of("/huge", "/b"), endpoints(requests), "the start line of the huge head is still reported");
        assertEquals(StreamReader.MAX_HEAD, requests.get(0).parsed().size());
    }

    @Test
    void invalidChunkSizeIsReported() {
        String bad = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n";
        ParserHarness h = harness().client(GET_A).client(GET_B).server(bad).server(server("python-http-server"));
        assertEquals(malformed(Origin.SERVER, "invalid chunk size"), h.malformed());
        assertEquals(2, h.responses().size());
        assertEquals("1.0", h.responses().get(1).parsed().version());

        ParserHarness noTerminator = harness().server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX");
        assertEquals(malformed(Origin.SERVER, "invalid chunk terminator"), noTerminator.malformed());
        ParserHarness tooLong = harness().server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1234567890abcdef0\r\n");
        assertEquals(malformed(Origin.SERVER, "invalid chunk size"), tooLong.malformed());
    }

    @Test
    void chunkExtensionsAndBareLineFeedsAreAccepted() {
        String body = "4;name=value\r\nWiki\r\n5 ; x\r\npedia\r\n0\r\nExpires: never\r\n\r\n";
        String response = "HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\n" + body;
        ParserHarness h = harness().client(GET_A).server(response).server("HTTP/1.1 204 No Content\r\n\r\n");
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        assertEquals(response.length(), h.responses().get(0).parsed().size());
        assertEquals(204, h.responses().get(1).parsed().responseCode());
    }

    @Test
    void badHeadersAreReported() {
        ParserHarness h = harness().client("POST / HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n").client(GET_B);
        assertEquals(malformed(Origin.CLIENT, "invalid content-length"), h.malformed());
        assertEquals(List.of("/b"), endpoints(h.requests()));
        ParserHarness conflicting = harness().client("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n");
        assertEquals(malformed(Origin.CLIENT, "invalid content-length"), conflicting.malformed());
        ParserHarness noColon = harness().client("GET / HTTP/1.1\r\nthis is not a header\r\n\r\n");
        assertEquals(malformed(Origin.CLIENT, "invalid header"), noColon.malformed());
        ParserHarness coding = harness().client("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nxyz").client(GET_B);
        assertEquals(malformed(Origin.CLIENT, "unsupported transfer-encoding"), coding.malformed());
        assertEquals(List.of("/", "/b"), endpoints(coding.requests()));
    }

    @Test
    void sameValueContentLengthListIsAccepted() {
        ParserHarness h = harness().client("POST /x HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc" + GET_B);
        assertTrue(h.malformed().isEmpty());
        assertEquals(List.of("/x", "/b"), endpoints(h.requests()));
    }

    @Test
    void switchingProtocolsEndsHttp() {
        String upgrade = "GET /chat HTTP/1.1\r\nHost: ws\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        String switched = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        byte[] frame = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        ParserHarness h = harness().client(upgrade).server(concat(ascii(switched), frame)).client(frame)
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").client(GET_B).close();
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        assertEquals(List.of(MessageType.REQUEST, MessageType.SESSION), h.messages().stream().map(Message::type).toList());
        assertEquals(101, h.messages().get(1).parsed().responseCode());
        assertEquals(switched.length(), h.messages().get(1).end());
    }

    @Test
    void clientBytesOfTheNewProtocolBeforeThe101AreNotMalformed() {
        String upgrade = "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";
        ParserHarness h = harness().client(upgrade).client("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        assertEquals(2, h.messages().size());
    }

    @Test
    void connectTunnelEndsHttp() {
        ParserHarness h = harness()
                .client("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
                .server("HTTP/1.1 200 Connection Established\r\n\r\n")
                .client(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00})
                .server(new byte[] {0x16, 0x03, 0x03, 0x00, 0x7a})
                .close();
        assertTrue(h.malformed().isEmpty());
        assertEquals(2, h.messages().size());
        assertEquals("CONNECT", h.requests().get(0).parsed().requestType());
        assertEquals("example.com:443", h.requests().get(0).parsed().endpoint());
    }

    @Test
    void earlyHintsAreSessionMessages() {
        ParserHarness h = harness().client(GET_A)
                .server("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertEquals(List.of(MessageType.REQUEST, MessageType.SESSION, MessageType.RESPONSE),
                h.messages().stream().map(Message::type).toList());
    }

    @Test
    void requestsWithoutLengthHaveNoBodyAndBlankLinesBetweenMessagesAreSkipped() {
        ParserHarness h = harness().client(GET_A + "\r\n" + GET_B);
        assertEquals(List.of("/a", "/b"), endpoints(h.requests()));
        assertEquals(GET_A.length() + 2, h.requests().get(1).start());
        assertEquals(GET_B.length(), h.requests().get(1).parsed().size());
    }

    @Test
    void incompleteMessagesAreReportedAtTheClose() {
        ParserHarness h = harness().client("POST /upload HTTP/1.1\r\nContent-Length: 1000\r\n\r\npartial")
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc").close();
        assertTrue(h.malformed().isEmpty());
        assertEquals(1000 + endOfHead(ascii("POST /upload HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"), 0),
                h.requests().get(0).parsed().size());
        assertEquals(2, h.messages().size());
    }

    @Test
    void responsesWithoutAKnownRequestUseTheirOwnFraming() {
        // The capture began after the request: no method is pending, the response is read by its headers.
        ParserHarness h = harness().server(server("keepalive"));
        assertEquals(3, h.responses().size());
        assertNull(h.responses().get(0).parsed().requestType());
    }

    @Test
    void randomDamageNeverThrowsNorBreaksTheSinkContract() {
        Random random = new Random(7);
        byte[][] streams = {client("pipelined"), server("pipelined"), server("chunked-trailers"),
            server("expect-continue"), client("traces"), server("errors")};
        for (int round = 0; round < 400; round++) {
            ParserHarness h = harness();
            for (int part = 0; part < 6; part++) {
                byte[] bytes = streams[random.nextInt(streams.length)].clone();
                for (int flips = random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                Origin origin = random.nextBoolean() ? Origin.CLIENT : Origin.SERVER;
                int at = 0;
                while (at < bytes.length) {
                    int n = 1 + random.nextInt(Math.min(200, bytes.length - at));
                    switch (random.nextInt(10)) {
                        case 0 -> h.gap(origin, n);
                        case 1 -> h.unknownGap(origin);
                        default -> h.feed(origin, bytes, at, at + n);
                    }
                    at += n;
                }
            }
            h.close();
            assertTrue(h.malformed().stream().noneMatch(m -> m.reason().equals("parser error")), h.malformed().toString());
        }
    }
}
