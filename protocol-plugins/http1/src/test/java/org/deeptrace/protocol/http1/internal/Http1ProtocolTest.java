package org.deeptrace.protocol.http1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class Http1ProtocolTest {

    @Test
    void namesItselfAsTheContractSays() {
        Http1Protocol protocol = new Http1Protocol();
        assertEquals("HTTP1", protocol.protocol());
        assertEquals(Set.of(Transport.TCP), protocol.transports());
    }

    @Test
    void eachConnectionGetsItsOwnState() {
        Http1Protocol protocol = new Http1Protocol();
        assertNotSame(protocol.open(ParserHarness.DEFAULT_CONNECTION), protocol.open(ParserHarness.DEFAULT_CONNECTION));
        // A half-read request on one connection does not leak into another.
        ParserHarness a = ParserHarness.open(protocol).client("GET /a HTTP/1.1\r\nHo");
        ParserHarness b = ParserHarness.open(protocol).client("st: b\r\n\r\n");
        a.client("st: a\r\n\r\n");
        assertEquals("a", a.requests().get(0).parsed().requestDomain());
        assertEquals(1, b.malformed().size());
    }

    @Test
    void absoluteFormTargetsAreSplitIntoDomainAndResource() {
        ParserHarness h = ParserHarness.open(new Http1Protocol())
                .client("GET http://proxy.example:8080/p/q?x=1 HTTP/1.1\r\n\r\n")
                .client("GET https://example.com?y=2 HTTP/1.1\r\nHost: other\r\n\r\n")
                .client("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
        var first = h.requests().get(0).parsed();
        assertEquals("proxy.example:8080", first.requestDomain());
        assertEquals("/p/q?x=1", first.requestResource());
        assertEquals("/p/q", first.endpoint());
        var second = h.requests().get(1).parsed();
        assertEquals("other", second.requestDomain());
        assertEquals("/?y=2", second.requestResource());
        assertEquals("/", second.endpoint());
        assertEquals("*", h.requests().get(2).parsed().endpoint());
    }

    @Test
    void offsetsThatSkipBytesCountAsAGapAndOffsetsThatGoBackLoseSync() {
        String head = "POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n";
        String next = "GET /b HTTP/1.1\r\n\r\n";
        List<String> seen = new ArrayList<>();
        MessageSink sink = new MessageSink() {
            @Override
            public void message(Origin origin, ParsedMessage message, long start, long end) {
                seen.add(message.endpoint() + " " + start + "-" + end + " " + message.size());
            }

            @Override
            public void malformed(Origin origin, String reason) {
                seen.add(reason);
            }

            @Override
            public void lost(Origin origin, long start, long end) {
                seen.add("lost " + start + "-" + end);
            }
        };
        ConnectionParser parser = new Http1Protocol().open(ParserHarness.DEFAULT_CONNECTION);
        parser.onData(Origin.CLIENT, 0, ascii(head + "01234"), sink);
        // The pipeline skipped 5 body bytes without an onGap: the body still ends at head + 10.
        parser.onData(Origin.CLIENT, head.length() + 10, ascii(next), sink);
        int total = head.length() + 10;
        assertEquals(List.of("/a 0-" + total + " " + total, "/b " + total + "-" + (total + next.length()) + " "
                + next.length()), seen);

        seen.clear();
        parser.onData(Origin.CLIENT, 1000, ascii(head + "0"), sink); // a jump between messages: a lost head
        parser.onData(Origin.CLIENT, 1000, ascii(next), sink); // the same offset again: not a continuation
        assertEquals(List.of("lost " + (total + next.length()) + "-1000", "/a 1000-" + (1000 + head.length() + 1) + " " + total, "stream offsets out of order",
                "/b 1000-" + (1000 + next.length()) + " " + next.length()), seen);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
