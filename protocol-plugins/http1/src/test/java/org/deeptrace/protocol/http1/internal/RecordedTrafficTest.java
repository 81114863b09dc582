package org.deeptrace.protocol.http1.internal;

import static org.deeptrace.protocol.http1.internal.Fixtures.client;
import static org.deeptrace.protocol.http1.internal.Fixtures.endOfHead;
import static org.deeptrace.protocol.http1.internal.Fixtures.server;
import static org.deeptrace.protocol.http1.internal.Fixtures.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.deeptrace.testkit.ParserHarness.Message;
import org.junit.jupiter.api.Test;

/** Real nginx 1.22, python3 http.server and curl traffic, recorded on loopback (src/test/recording). */
class RecordedTrafficTest {

    private static ParserHarness harness() {
        return ParserHarness.open(new Http1Protocol());
    }

    /** Messages of one origin must tile its stream: each starts where the previous ended, the last at the end. */
    private static void assertTiles(List<Message> messages, int streamLength) {
        long at = 0;
        for (Message m : messages) {
            assertEquals(at, m.start(), "start of " + m);
            assertEquals(m.end() - m.start(), m.parsed().size(), "size of " + m);
            at = m.end();
        }
        assertEquals(streamLength, at);
    }

    private static ParsedMessage parsed(List<Message> messages, int index) {
        return messages.get(index).parsed();
    }

    @Test
    void keepAliveConnectionWithThreeExchanges() {
        byte[] c = client("keepalive");
        byte[] s = server("keepalive");
        ParserHarness h = harness().client(c).server(s).close();

        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        List<Message> requests = h.requests();
        assertEquals(3, requests.size());
        ParsedMessage first = parsed(requests, 0);
        assertEquals("HTTP1", first.protocol());
        assertEquals("1.1", first.version());
        assertEquals("GET", first.requestType());
        assertEquals("127.0.0.1:18090", first.requestDomain());
        assertEquals("/index.html", first.requestResource());
        assertEquals("/index.html", first.endpoint());
        assertEquals("ka-1", first.xRequestId());
        assertTrue(first.expectsResponse());
        assertEquals("/about.html", parsed(requests, 1).endpoint());
        assertEquals("/index.html?lang=en&x=1", parsed(requests, 2).requestResource());
        assertEquals("/index.html", parsed(requests, 2).endpoint());

        List<Message> responses = h.responses();
        assertEquals(3, responses.size());
        for (Message r : responses) {
            assertEquals(MessageType.RESPONSE, r.type());
            assertEquals(200, r.parsed().responseCode());
            assertEquals(ResponseStatus.OK, r.parsed().responseStatus());
            assertNull(r.parsed().responseException());
            assertNull(r.parsed().requestType());
        }
        assertTiles(requests, c.length);
        assertTiles(responses, s.length);
    }

    @Test
    void keepAliveExchangesInterleavedOneByOne() {
        byte[] c = client("keepalive");
        byte[] s = server("keepalive");
        ParserHarness h = harness();
        int ci = 0;
        int si = 0;
        for (int exchange = 0; exchange < 3; exchange++) {
            int ce = endOfHead(c, ci);
            h.client(slice(c, ci, ce));
            assertEquals(exchange + 1, h.requests().size(), "request emitted as soon as its head is complete");
            int headEnd = endOfHead(s, si);
            int body = Integer.parseInt(new String(s, si, headEnd - si).replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            h.server(slice(s, si, headEnd + body));
            assertEquals(exchange + 1, h.responses().size());
            ci = ce;
            si = headEnd + body;
        }
        assertEquals(c.length, ci);
        assertEquals(s.length, si);
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void pipelinedRequestsInOneChunkAndResponsesCutAnywhere() {
        byte[] c = client("pipelined");
        byte[] s = server("pipelined");
        ParserHarness whole = harness().client(c).server(s).close();
        assertPipelined(whole, c, s);
        // Responses cut at every single position: mid status line, mid header name, between CR and LF, mid body.
        for (int cut = 1; cut < s.length; cut++) {
            ParserHarness h = harness().client(c).feedSplit(Origin.SERVER, s, cut).close();
            assertEquals(whole.messages(), h.messages(), "cut at " + cut);
            assertTrue(h.malformed().isEmpty(), "cut at " + cut);
        }
        for (int size : new int[] {1, 2, 3, 7, 13, 64, 100}) {
            ParserHarness h = harness().feedInChunksOf(Origin.CLIENT, c, size).feedInChunksOf(Origin.SERVER, s, size);
            assertEquals(whole.messages(), h.close().messages(), "chunks of " + size);
        }
    }

    private static void assertPipelined(ParserHarness h, byte[] c, byte[] s) {
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        List<Message> requests = h.requests();
        assertEquals(List.of("GET", "HEAD", "GET"), requests.stream().map(m -> m.parsed().requestType()).toList());
        assertEquals(List.of("/index.html", "/big.bin?probe=1", "/about.html"),
                requests.stream().map(m -> m.parsed().requestResource()).toList());
        assertEquals("/big.bin", parsed(requests, 1).endpoint());
        assertEquals(List.of("pipe-1", "pipe-2", "pipe-3"),
                requests.stream().map(m -> m.parsed().xRequestId()).toList());
        List<Message> responses = h.responses();
        // The nginx echoes X-Request-Id; the HEAD response says Content-Length: 100000 but carries no body.
        assertEquals(List.of("pipe-1", "pipe-2", "pipe-3"),
                responses.stream().map(m -> m.parsed().xRequestId()).toList());
        Message head = responses.get(1);
        assertEquals(endOfHead(s, (int) head.start()), head.end());
        assertTiles(requests, c.length);
        assertTiles(responses, s.length);
    }

    @Test
    void chunkedResponseWithTrailers() {
        byte[] c = client("chunked-trailers");
        byte[] s = server("chunked-trailers");
        ParserHarness h = harness().client(c).server(s);
        assertEquals(1, h.responses().size(), "complete without waiting for the close");
        assertTiles(h.responses(), s.length);
        ParserHarness bytewise = harness().client(c).feedInChunksOf(Origin.SERVER, s, 1);
        assertEquals(h.messages(), bytewise.messages());
        // Cut right after the last chunk: the trailers are still part of the message.
        int lastChunk = Fixtures.indexOf(s, "0\r\n", endOfHead(s, 0)) + 3;
        ParserHarness cut = harness().client(c).server(slice(s, 0, lastChunk));
        assertTrue(cut.responses().isEmpty());
        cut.server(slice(s, lastChunk, s.length));
        assertEquals(h.messages(), cut.messages());
        assertTrue(h.malformed().isEmpty() && bytewise.malformed().isEmpty());
    }

    @Test
    void headResponseHasContentLengthButNoBody() {
        byte[] c = client("head");
        byte[] s = server("head");
        // A second exchange after the HEAD must still parse: the 100000 announced bytes never come.
        byte[] c2 = client("keepalive");
        byte[] s2 = server("keepalive");
        ParserHarness h = harness().client(c).server(s).client(c2).server(s2);
        assertEquals("HEAD", parsed(h.requests(), 0).requestType());
        Message head = h.responses().get(0);
        assertEquals(s.length, head.end());
        assertEquals(s.length, head.parsed().size());
        assertEquals(4, h.responses().size());
        assertEquals(s.length, h.responses().get(1).start());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void expectContinue() {
        byte[] c = client("expect-continue");
        byte[] s = server("expect-continue");
        int requestHead = endOfHead(c, 0);
        int continueEnd = endOfHead(s, 0);
        ParserHarness h = harness()
                .client(slice(c, 0, requestHead))
                .server(slice(s, 0, continueEnd))
                .client(slice(c, requestHead, c.length))
                .server(slice(s, continueEnd, s.length));
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        List<Message> all = h.messages();
        assertEquals(List.of(MessageType.SESSION, MessageType.REQUEST, MessageType.RESPONSE),
                all.stream().map(Message::type).toList());
        ParsedMessage interim = all.get(0).parsed();
        assertEquals(100, interim.responseCode());
        assertEquals(continueEnd, interim.size());
        ParsedMessage post = all.get(1).parsed();
        assertEquals("POST", post.requestType());
        assertEquals(c.length, post.size(), "head and 24-byte body");
        ParsedMessage ok = all.get(2).parsed();
        assertEquals(200, ok.responseCode());
        assertEquals(s.length - continueEnd, ok.size());
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() {
        byte[] c = client("nocontent-notmodified");
        byte[] s = server("nocontent-notmodified");
        ParserHarness h = harness().client(c).server(s);
        assertEquals(List.of(204, 304), h.responses().stream().map(m -> m.parsed().responseCode()).toList());
        assertTiles(h.responses(), s.length);
        assertEquals(List.of("/nocontent", "/index.html"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void http10ResponseDelimitedByTheClose() {
        byte[] c = client("http10-close");
        byte[] s = server("http10-close");
        ParserHarness h = harness().client(c).server(s);
        assertEquals("1.0", parsed(h.requests(), 0).version());
        assertTrue(h.responses().isEmpty(), "the body may go on until the connection closes");
        h.close();
        assertEquals(1, h.responses().size());
        assertEquals("1.1", parsed(h.responses(), 0).version());
        assertTiles(h.responses(), s.length);
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void pythonHttpServerAnswersInHttp10() {
        ParserHarness h = harness().client(client("python-http-server")).server(server("python-http-server"));
        ParsedMessage response = parsed(h.responses(), 0);
        assertEquals("1.0", response.version());
        assertEquals(200, response.responseCode());
        assertTiles(h.responses(), server("python-http-server").length);
    }

    @Test
    void truncatedBodyCountedThroughGapsKeepsTheNextExchangeInSync() {
        byte[] c = client("big-then-small");
        byte[] s = server("big-then-small");
        int head = endOfHead(s, 0);
        int bodyEnd = head + 100_000;
        // As the capture sees it: 4096 bytes of the first write, the rest transferred but not captured.
        ParserHarness h = harness().client(c)
                .server(slice(s, 0, head + 4096))
                .gap(Origin.SERVER, 100_000 - 4096)
                .server(slice(s, bodyEnd, s.length));
        assertTrue(h.malformed().isEmpty(), h.malformed().toString());
        assertEquals(2, h.responses().size());
        Message big = h.responses().get(0);
        assertEquals(bodyEnd, big.parsed().size());
        assertEquals(bodyEnd, big.end());
        Message small = h.responses().get(1);
        assertEquals(200, small.parsed().responseCode());
        assertEquals(bodyEnd, small.start());
        assertEquals(s.length, small.end());
        assertEquals("/about.html", parsed(h.requests(), 1).endpoint());

        // Head and body captured separately, the body in several truncated writes.
        ParserHarness split = harness().client(c).server(slice(s, 0, head));
        for (int at = head; at < bodyEnd; at += 32_768) {
            int write = Math.min(32_768, bodyEnd - at);
            split.server(slice(s, at, at + 100)).gap(Origin.SERVER, write - 100);
        }
        split.server(slice(s, bodyEnd, s.length));
        assertEquals(h.messages(), split.messages());
        assertTrue(split.malformed().isEmpty());
    }

    @Test
    void errorStatusesCarryTheReasonPhrase() {
        ParserHarness h = harness().client(client("errors")).server(server("errors"));
        ParsedMessage notFound = parsed(h.responses(), 0);
        assertEquals(404, notFound.responseCode());
        assertEquals(ResponseStatus.CLIENT_ERROR, notFound.responseStatus());
        assertEquals("Not Found", notFound.responseException());
        ParsedMessage unavailable = parsed(h.responses(), 1);
        assertEquals(503, unavailable.responseCode());
        assertEquals(ResponseStatus.SERVER_ERROR, unavailable.responseStatus());
        assertEquals("Service Temporarily Unavailable", unavailable.responseException());
    }

    @Test
    void traceHeadersOfEveryFormatOnRequestsAndEchoedResponses() {
        byte[] c = client("traces");
        byte[] s = server("traces");
        ParserHarness h = harness().client(c).server(s).close();
        assertTrue(h.malformed().isEmpty());
        List<List<String>> expected = List.of(
                List.of("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
                List.of("5b8aa5a2d2c872e8321cf37308d69df2", "51a7e9a2f6ba2c3d"),
                List.of("80f198ee56343ba864fe8b2a57d3eff7", "e457b5a2e4d86bd1"),
                List.of("80f198ee56343ba864fe8b2a57d3eff7", "05e3ac9a4f6e3b90"),
                List.of("a123.b456.c789", "segment-1-3"));
        for (List<Message> side : List.of(h.requests(), h.responses())) {
            assertEquals(expected, side.stream().map(m -> List.of(m.parsed().traceId(), m.parsed().spanId())).toList());
            assertEquals("req-w3c", parsed(side, 0).xRequestId());
            assertNull(parsed(side, 1).xRequestId());
        }
        assertTiles(h.requests(), c.length);
        assertTiles(h.responses(), s.length);
    }

    @Test
    void everyFixtureParsesTheSameWhateverTheChunking() {
        for (String name : List.of("keepalive", "pipelined", "chunked-trailers", "head", "expect-continue",
                "nocontent-notmodified", "http10-close", "big-then-small", "errors", "traces", "python-http-server")) {
            byte[] c = client(name);
            byte[] s = server(name);
            ParserHarness whole = harness().client(c).server(s).close();
            assertTrue(whole.malformed().isEmpty(), name + ": " + whole.malformed());
            assertTrue(whole.requests().size() >= 1 && whole.responses().size() >= 1, name);
            assertTiles(whole.requests(), c.length);
            for (int size : new int[] {1, 5, 17, 333}) {
                ParserHarness h = harness().feedInChunksOf(Origin.CLIENT, c, size)
                        .feedInChunksOf(Origin.SERVER, s, size).close();
                assertEquals(whole.messages(), h.messages(), name + " in chunks of " + size);
                assertTrue(h.malformed().isEmpty(), name);
            }
        }
    }
}
