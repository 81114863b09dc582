package org.deeptrace.protocol.http1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

/** What the HTTP/1 parser reports through MessageSink.protocolSwitched, and where. */
class Http1SwitchTest {
    static final String H2C_REQUEST = "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";
    static final String H2C_101 = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n";

    final List<String> events = new ArrayList<>();
    final MessageSink sink = new MessageSink() {
        @Override
        public void message(Origin origin, ParsedMessage m, long start, long end) {
            events.add(origin + " " + m.type() + " " + start + "-" + end);
        }

        @Override
        public void malformed(Origin origin, String reason) {
            events.add(origin + " malformed " + reason);
        }

        @Override
        public void protocolSwitched(String protocol, long clientOffset, long serverOffset) {
            events.add("switched to " + protocol + " at " + clientOffset + "/" + serverOffset);
        }
    };

    void feed(ConnectionParser p, Origin origin, long offset, String text) {
        p.onData(origin, offset, ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)), sink);
    }

    @Test
    void h2cUpgradeIsReportedAsASwitchToHttp2AtTheEndsOfTheRequestAndThe101() {
        ConnectionParser p = new Http1Protocol().open(null);
        feed(p, Origin.CLIENT, 0, H2C_REQUEST);
        feed(p, Origin.SERVER, 0, H2C_101 + "\0\0\0\4\0\0\0\0\0");
        int req = H2C_REQUEST.length();
        int resp = H2C_101.length();
        assertEquals(List.of("CLIENT REQUEST 0-" + req, "SERVER SESSION 0-" + resp,
                "switched to HTTP2 at " + req + "/" + resp), events);
        feed(p, Origin.CLIENT, req, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertEquals(3, events.size(), "after the switch nothing is HTTP/1, nothing is malformed");
    }

    @Test
    void aSwitchBeforeTheRequestBodyEndedIsReportedWhenItEnds() {
        ConnectionParser p = new Http1Protocol().open(null);
        String head = "POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nUpgrade: h2c\r\n\r\n";
        feed(p, Origin.CLIENT, 0, head + "ab");
        feed(p, Origin.SERVER, 0, H2C_101);
        assertEquals(List.of("SERVER SESSION 0-" + H2C_101.length()), events);
        feed(p, Origin.CLIENT, head.length() + 2, "cdPRI * HTTP/2.0");
        assertEquals(List.of("SERVER SESSION 0-" + H2C_101.length(), "CLIENT REQUEST 0-" + (head.length() + 4),
                "switched to HTTP2 at " + (head.length() + 4) + "/" + H2C_101.length()), events);
    }

    @Test
    void aConnectTunnelIsASwitchToAnInferredProtocol() {
        ConnectionParser p = new Http1Protocol().open(null);
        String connect = "CONNECT db:5432 HTTP/1.1\r\nHost: db:5432\r\n\r\n";
        String ok = "HTTP/1.1 200 Connection established\r\n\r\n";
        feed(p, Origin.CLIENT, 0, connect);
        feed(p, Origin.SERVER, 0, ok);
        assertEquals("switched to null at " + connect.length() + "/" + ok.length(), events.get(2));
    }

    @Test
    void webSocketAndDeclinedOrUnaskedUpgradesAreNotSwitchesToHttp2() {
        ConnectionParser ws = new Http1Protocol().open(null);
        feed(ws, Origin.CLIENT, 0, "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
        feed(ws, Origin.SERVER, 0, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        // Declined: the server answers in HTTP/1.1 and the connection stays HTTP/1.
        ConnectionParser declined = new Http1Protocol().open(null);
        feed(declined, Origin.CLIENT, 0, H2C_REQUEST);
        feed(declined, Origin.SERVER, 0, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        feed(declined, Origin.CLIENT, H2C_REQUEST.length(), "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        // A 101 to h2c that the request did not ask for.
        ConnectionParser unasked = new Http1Protocol().open(null);
        feed(unasked, Origin.CLIENT, 0, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
        feed(unasked, Origin.SERVER, 0, H2C_101);
        assertEquals(0, events.stream().filter(e -> e.startsWith("switched")).count(), events.toString());
        assertEquals(4, events.stream().filter(e -> e.startsWith("CLIENT REQUEST")).count(),
                "the declined upgrade's connection goes on in HTTP/1: " + events);
    }
}
