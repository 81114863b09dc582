package org.deeptrace.pipeline.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.junit.jupiter.api.Test;

/**
 * MessageSink.protocolSwitched: the real HTTP/1 parser reports 101 Switching Protocols (h2c) and CONNECT tunnels;
 * the pipeline hands the rest of both streams to the next parser, from offset 0 at the switch point.
 */
class ProtocolSwitchTest {
    static final String SERVER = "10.0.0.2:80";
    static final String CLIENT = "10.0.0.1:5555";
    static final String UPGRADE = "GET /up HTTP/1.1\r\nHost: svc\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";
    static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n";

    final Counters counters = new Counters();
    final List<Span> spans = new ArrayList<>();
    final List<L7Message> messages = new ArrayList<>();
    final Recorder h2 = new Recorder("HTTP2");

    Pipeline pipeline(ProtocolParser... parsers) {
        return new Pipeline(ParserCatalog.of(List.of(parsers)), () -> null, PipelineSettings.defaults("test-host"),
                counters, messages::add, spans::addAll);
    }

    static CaptureRecord rec(long ts, Direction d, long seq, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return new CaptureRecord(ts, CaptureRecord.ABSENT, 42, 7, "svc", 3, d == Direction.INGRESS ? "read" : "write",
                d, Transport.TCP, SERVER, CLIENT, seq, b.length, ByteBuffer.wrap(b), false);
    }

    @Test
    void h2cUpgradeHandsTheRestOfTheChunkAndOfTheConnectionToTheNamedParser() {
        Pipeline p = pipeline(new Http1Protocol(), h2);
        p.accept(rec(100, Direction.INGRESS, 1000, UPGRADE));
        // The 101 and the server's first HTTP/2 bytes in one segment: the switch falls inside the chunk.
        p.accept(rec(200, Direction.EGRESS, 5000, SWITCHING + "SETTINGS"));
        p.accept(rec(300, Direction.INGRESS, 1000 + UPGRADE.length(), "PREFACE"));
        p.accept(rec(400, Direction.EGRESS, 5000 + SWITCHING.length() + 8, "RESPONSE"));
        p.finish();

        assertEquals(List.of("SERVER@0:SETTINGS", "CLIENT@0:PREFACE", "SERVER@8:RESPONSE"), h2.seen);
        assertEquals(List.of("HTTP1 REQUEST", "HTTP1 SESSION", "HTTP2 RESPONSE"),
                messages.stream().map(m -> m.parsed().protocol() + " " + m.parsed().type()).toList());
        assertEquals(400, messages.get(2).tsNs(), "the new parser's offsets map back to the right records");
        // The request that asked for the upgrade is answered by the new protocol's response.
        assertEquals(1, spans.size());
        assertEquals("/up", spans.get(0).endpoint());
        assertEquals(201, spans.get(0).responseCode());
        assertEquals(400, spans.get(0).endNs());
        assertEquals(1, counters.get("connections.switched.HTTP1_to_HTTP2"));
        assertEquals(0, counters.get("connections.switch_missed_bytes"));
    }

    @Test
    void aSwitchAnnouncedAfterTheRequestBodyEndsMakesTheBytesInBetweenAGap() {
        Pipeline p = pipeline(new Http1Protocol(), h2);
        String head = "POST /up HTTP/1.1\r\nHost: svc\r\nContent-Length: 5\r\nUpgrade: h2c\r\n\r\n";
        p.accept(rec(100, Direction.INGRESS, 1000, head));
        p.accept(rec(200, Direction.EGRESS, 5000, SWITCHING + "SRV"));
        p.accept(rec(300, Direction.INGRESS, 1000 + head.length(), "helloPREFACE"));
        p.finish();

        assertEquals(List.of("SERVER gap@0+3", "CLIENT@0:PREFACE"), h2.seen);
        assertEquals(3, counters.get("connections.switch_missed_bytes"));
    }

    @Test
    void anUpgradeWithoutAParserForItStopsParsingAsBefore() {
        Pipeline p = pipeline(new Http1Protocol(), h2);
        p.accept(rec(100, Direction.INGRESS, 1000, "GET /ws HTTP/1.1\r\nHost: svc\r\nUpgrade: websocket\r\n\r\n"));
        p.accept(rec(200, Direction.EGRESS, 5000, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"));
        p.accept(rec(300, Direction.INGRESS, 1051, "\u0081\u0085frame"));
        p.finish();
        assertTrue(h2.seen.isEmpty());
        assertEquals(0, counters.withPrefix("connections.switched").size());
    }

    @Test
    void aDisabledTargetIsInferredInstead() {
        Pipeline p = pipeline(new Http1Protocol(), h2, new LineProtocol());
        p.setProtocolRules(ProtocolRules.of(List.of("HTTP2"), List.of(), "test.cfg"));
        p.accept(rec(100, Direction.INGRESS, 1000, UPGRADE));
        p.accept(rec(200, Direction.EGRESS, 5000, SWITCHING));
        p.accept(rec(300, Direction.INGRESS, 1000 + UPGRADE.length(), "REQ /x\n"));
        p.finish();
        assertTrue(h2.seen.isEmpty());
        assertEquals(1, counters.get("connections.switched.HTTP1_to_HTTP2_unavailable"));
        assertEquals(1, counters.get("connections.LINE"));
    }

    @Test
    void aConnectTunnelIsInferredAnewFromTheTunnelledBytes() {
        Pipeline p = pipeline(new Http1Protocol(), new LineProtocol());
        String connect = "CONNECT backend:7000 HTTP/1.1\r\nHost: backend:7000\r\n\r\n";
        String established = "HTTP/1.1 200 Connection established\r\n\r\n";
        p.accept(rec(100, Direction.INGRESS, 1000, connect));
        p.accept(rec(200, Direction.EGRESS, 5000, established));
        p.accept(rec(300, Direction.INGRESS, 1000 + connect.length(), "REQ /inside\n"));
        p.accept(rec(400, Direction.EGRESS, 5000 + established.length(), "RES 200\n"));
        p.finish();

        assertEquals(1, counters.get("connections.switched.HTTP1_to_inferred"));
        assertEquals(List.of("CONNECT 200", "LINE 200"), spans.stream()
                .map(s -> (s.protocol().equals("HTTP1") ? s.requestType() : s.protocol()) + " " + s.responseCode())
                .sorted().toList());
    }

    /** Records what it is given; a chunk starting with RESPONSE is a response on stream 1. */
    static final class Recorder implements ProtocolParser {
        final String name;
        final List<String> seen = new ArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String protocol() {
            return name;
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.TCP);
        }

        @Override
        public Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
            return Inference.NO;
        }

        @Override
        public ConnectionParser open(ConnectionInfo connection) {
            return new ConnectionParser() {
                @Override
                public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                    String text = StandardCharsets.ISO_8859_1.decode(chunk.duplicate()).toString();
                    seen.add(origin + "@" + offset + ":" + text);
                    if (text.startsWith("RESPONSE")) {
                        out.message(origin, ParsedMessage.builder(name, MessageType.RESPONSE, text.length())
                                .requestId(1L).responseCode(201).responseStatus(ResponseStatus.OK)
                                .expectsResponse(false).build(), offset, offset + text.length());
                    }
                }

                @Override
                public void onGap(Origin origin, long offset, long length, MessageSink out) {
                    seen.add(origin + " gap@" + offset + "+" + length);
                }
            };
        }
    }
}
