package org.deeptrace.protocol.fastcgi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class FcgiParserTest {
    private static final FcgiProtocol FCGI = new FcgiProtocol();

    @Test
    void requestFieldsFromParams() {
        byte[] get = FcgiBytes.get(1, "/shop/item.php?id=3");
        ParserHarness h = ParserHarness.open(FCGI).client(get);
        ParsedMessage m = h.requests().get(0).parsed();
        assertEquals("FastCGI", m.protocol());
        assertEquals("GET", m.requestType());
        assertEquals("/shop/item.php?id=3", m.requestResource());
        assertEquals("/shop/item.php", m.endpoint());
        assertEquals("shop.example", m.requestDomain());
        assertEquals(1L, m.requestId());
        assertEquals(get.length, m.size());
        assertEquals(0, h.requests().get(0).start());
        assertEquals(get.length, h.requests().get(0).end());
    }

    @Test
    void scriptNameAndQueryWithoutRequestUriAndTraceHeaders() {
        byte[] req = FcgiBytes.of().begin(5, 1, false)
                .params(5, "REQUEST_METHOD", "POST", "SCRIPT_NAME", "/api.php", "QUERY_STRING", "a=1",
                        "SERVER_NAME", "backend", "HTTP_X_B3_TRACEID", "463AC35C9F6413AD48485A3953BB6124",
                        "HTTP_X_B3_SPANID", "a2fb4a1d1a96d312", "HTTP_X_REQUEST_ID", "abc")
                .stdin(5, "{\"k\":1}").build();
        ParsedMessage m = ParserHarness.open(FCGI).client(req).requests().get(0).parsed();
        assertEquals("/api.php?a=1", m.requestResource());
        assertEquals("/api.php", m.endpoint());
        assertEquals("backend", m.requestDomain());
        assertEquals("463ac35c9f6413ad48485a3953bb6124", m.traceId());
        assertEquals("a2fb4a1d1a96d312", m.spanId());
        assertEquals("abc", m.xRequestId());
    }

    @Test
    void responseStatusFromCgiHeaders() {
        ParserHarness h = ParserHarness.open(FCGI)
                .server(FcgiBytes.ok(1, null))
                .server(FcgiBytes.ok(1, "404 Not Found"))
                .server(FcgiBytes.of().stderr(1, "PHP message: boom\nmore").stdout(1, "Status: 503\r\n\r\n")
                        .end(1, 255, 0).build())
                .server(FcgiBytes.of().stdout(1, "Location: /next\r\n\r\n").end(1, 0, 0).build())
                .server(FcgiBytes.of().end(1, 0, 2).build());
        List<ParsedMessage> r = h.responses().stream().map(ParserHarness.Message::parsed).toList();
        assertEquals(200, r.get(0).responseCode());
        assertEquals(ResponseStatus.OK, r.get(0).responseStatus());
        assertEquals(404, r.get(1).responseCode());
        assertEquals(ResponseStatus.CLIENT_ERROR, r.get(1).responseStatus());
        assertEquals(503, r.get(2).responseCode());
        assertEquals(ResponseStatus.SERVER_ERROR, r.get(2).responseStatus());
        assertEquals("PHP message: boom", r.get(2).responseException());
        assertEquals(302, r.get(3).responseCode());
        assertEquals(ResponseStatus.ERROR, r.get(4).responseStatus());
        assertEquals("FCGI_OVERLOADED", r.get(4).responseException());
        assertNull(r.get(4).responseCode());
    }

    @Test
    void multiplexedRequestsKeepTheirOwnIds() {
        // Interleave at record granularity: BEGIN(1) BEGIN(2) then the rest of 2, then the rest of 1.
        byte[] interleaved = FcgiBytes.of().begin(1, 1, true).begin(2, 1, true)
                .params(2, "REQUEST_METHOD", "GET", "REQUEST_URI", "/b.php").stdin(2, "")
                .params(1, "REQUEST_METHOD", "PUT", "REQUEST_URI", "/a.php").stdin(1, "data").build();
        ParserHarness h = ParserHarness.open(FCGI).client(interleaved)
                .server(FcgiBytes.ok(2, "201 Created")).server(FcgiBytes.ok(1, null));
        assertEquals(List.of(2L, 1L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
        assertEquals(List.of("/b.php", "/a.php"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
        assertEquals(List.of(2L, 1L), h.responses().stream().map(m -> m.parsed().requestId()).toList());
    }

    @Test
    void sameMessagesWhateverTheChunking() {
        byte[] stream = concat(FcgiBytes.get(1, "/x.php?q=1"), FcgiBytes.of().begin(1, 1, true)
                .params(1, "REQUEST_METHOD", "POST", "REQUEST_URI", "/p.php", "LONG", "v".repeat(300))
                .stdin(1, "body".repeat(100)).build());
        byte[] responses = concat(FcgiBytes.ok(1, "200 OK"), FcgiBytes.ok(1, "500 Oops"));
        List<String> expected = describe(ParserHarness.open(FCGI).client(stream).server(responses));
        assertEquals(4, expected.size());
        for (int cut = 1; cut < stream.length; cut += 3) {
            assertEquals(expected, describe(ParserHarness.open(FCGI).feedSplit(Origin.CLIENT, stream, cut)
                    .feedSplit(Origin.SERVER, responses, Math.min(cut, responses.length))), "split at " + cut);
        }
        assertEquals(expected, describe(ParserHarness.open(FCGI).feedInChunksOf(Origin.CLIENT, stream, 1)
                .feedInChunksOf(Origin.SERVER, responses, 1)));
    }

    @Test
    void gapInsideStdinKeepsTheFraming() {
        byte[] req = FcgiBytes.of().begin(1, 1, true).params(1, "REQUEST_METHOD", "POST", "REQUEST_URI", "/u")
                .stdin(1, "b".repeat(4000)).build();
        int cut = req.length - 1000; // inside the STDIN content
        ParserHarness h = ParserHarness.open(FCGI)
                .feed(Origin.CLIENT, req, 0, cut).gap(Origin.CLIENT, 500).feed(Origin.CLIENT, req, cut + 500, req.length)
                .client(FcgiBytes.get(1, "/next.php"));
        assertEquals(List.of("/u", "/next.php"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
        assertEquals(req.length, h.requests().get(0).parsed().size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void gapBetweenMessagesIsLostAndUnknownGapsResync() {
        byte[] get = FcgiBytes.get(1, "/a.php");
        ParserHarness h = ParserHarness.open(FCGI).client(get).gap(Origin.CLIENT, 300)
                .client(Arrays.copyOfRange(get, 20, get.length)) // a tail: skipped
                .client(get);
        assertEquals(1, h.lost().size());
        assertEquals(2, h.requests().size());
        h.feed(Origin.CLIENT, get, 0, 30).unknownGap(Origin.CLIENT).client(get);
        assertEquals(3, h.requests().size());
    }

    @Test
    void garbageIsMalformedAndTheNextRecordParses() {
        ParserHarness h = ParserHarness.open(FCGI).client("GET / HTTP/1.1\r\n\r\n").client("junk junk")
                .client(FcgiBytes.get(1, "/a.php"));
        assertEquals(List.of("bad record header"), h.malformed().stream().map(ParserHarness.Malformed::reason).toList());
        assertEquals(1, h.requests().size());
    }

    @Test
    void randomAndMutatedInputNeverThrowsNorSticks() {
        Random random = new Random(7);
        byte[] seed = concat(FcgiBytes.get(1, "/a.php?x=1"), FcgiBytes.get(3, "/b.php"));
        byte[] probe = FcgiBytes.get(9, "/probe.php");
        for (int i = 0; i < 3000; i++) {
            byte[] input;
            if (i % 3 == 0) {
                input = new byte[random.nextInt(300)];
                random.nextBytes(input);
            } else {
                input = seed.clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            ParserHarness h = ParserHarness.open(FCGI).feedInChunksOf(Origin.CLIENT, input, 1 + random.nextInt(64));
            assertTrue(h.messages().size() <= input.length);
            h.unknownGap(Origin.CLIENT).client(probe);
            assertEquals("/probe.php", h.requests().get(h.requests().size() - 1).parsed().endpoint(),
                    () -> "input " + Arrays.toString(input));
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<String> describe(ParserHarness h) {
        return h.messages().stream().map(m -> m.origin() + " " + m.start() + "-" + m.end() + " " + m.parsed())
                .toList();
    }
}
