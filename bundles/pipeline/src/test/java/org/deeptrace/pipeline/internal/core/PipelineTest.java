package org.deeptrace.pipeline.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class PipelineTest {
    static final int PID = 42;
    static final String SERVER = "10.0.0.2:80";
    static final String CLIENT = "10.0.0.1:5555";

    final Counters counters = new Counters();
    final List<Span> spans = new ArrayList<>();
    final List<L7Message> messages = new ArrayList<>();
    Correlator correlator = null;

    Pipeline pipeline() {
        return pipeline(ParserCatalog.of(List.of(new LineProtocol())));
    }

    Pipeline pipeline(ParserCatalog catalog) {
        return new Pipeline(catalog, () -> correlator, PipelineSettings.defaults("test-host"), counters,
                messages::add, spans::addAll);
    }

    /** A record of the server process (local = SERVER). */
    static CaptureRecord rec(long ts, Direction d, long seq, String text) {
        return rec(ts, d, SERVER, CLIENT, seq, text.getBytes(StandardCharsets.US_ASCII), text.length());
    }

    static CaptureRecord rec(long ts, Direction d, String local, String remote, long seq, byte[] payload, int size) {
        return new CaptureRecord(ts, CaptureRecord.ABSENT, PID, 7, "svc", 3, d == Direction.INGRESS ? "read" : "write",
                d, Transport.TCP, local, remote, seq, size, ByteBuffer.wrap(payload), payload.length < size);
    }

    @Test
    void pairsPipelinedRequestsWithTheirResponsesAndKeepsExactTimestamps() {
        Pipeline p = pipeline();
        p.accept(rec(100, Direction.INGRESS, 1000, "REQ /a\nREQ /b\n"));
        p.accept(rec(200, Direction.EGRESS, 5000, "RES 200\nRES 5"));
        p.accept(rec(300, Direction.EGRESS, 5013, "00\n"));
        p.finish();

        assertEquals(2, spans.size());
        Span a = spans.get(0);
        Span b = spans.get(1);
        assertEquals("/a", a.endpoint());
        assertEquals(SpanKind.SERVER, a.kind());
        assertEquals(100, a.startNs());
        assertEquals(200, a.endNs());
        assertEquals(ResponseStatus.OK, a.responseStatus());
        assertEquals("/b", b.endpoint());
        assertEquals(100, b.startNs());
        assertEquals(300, b.endNs(), "the response's last byte came with the record at 300");
        assertEquals(ResponseStatus.SERVER_ERROR, b.responseStatus());
        assertEquals(500, b.responseCode());
        assertEquals(SERVER, a.local());
        assertEquals(CLIENT, a.remote());
        assertEquals(4, messages.size());
        assertEquals(CLIENT, messages.get(0).src());
        assertEquals(SERVER, messages.get(2).src());
    }

    @Test
    void reordersRecordsBySequenceNumberAndDropsRetransmissions() {
        Pipeline p = pipeline();
        p.accept(rec(100, Direction.INGRESS, 1000, "REQ /x\n"));
        p.accept(rec(200, Direction.EGRESS, 5000, "RES "));
        // The last part of the response arrives before the middle.
        p.accept(rec(220, Direction.EGRESS, 5006, "1\n"));
        p.accept(rec(210, Direction.EGRESS, 5004, "20"));
        p.accept(rec(230, Direction.EGRESS, 5004, "20")); // retransmitted
        p.finish();

        assertEquals(1, spans.size());
        assertEquals(201, spans.get(0).responseCode());
        assertEquals(220, spans.get(0).endNs());
        assertEquals(1, counters.get("stream.duplicates"));
        assertEquals(1, counters.get("stream.out_of_order"));
    }

    @Test
    void aLostResponseDoesNotShiftThePairingOfLaterExchanges() {
        Pipeline p = pipeline();
        p.accept(rec(50, Direction.INGRESS, 993, "REQ /0\n"));
        p.accept(rec(60, Direction.EGRESS, 4992, "RES 200\n"));
        p.accept(rec(100, Direction.INGRESS, 1000, "REQ /1\n"));
        p.accept(rec(300, Direction.INGRESS, 1007, "REQ /2\n"));
        // The response to /1 ("RES 201\n", 8 bytes at 5000) was never captured.
        p.accept(rec(400, Direction.EGRESS, 5008, "RES 202\n"));
        p.finish();

        assertEquals(3, spans.size());
        Span first = spans.stream().filter(s -> "/1".equals(s.endpoint())).findFirst().orElseThrow();
        Span second = spans.stream().filter(s -> "/2".equals(s.endpoint())).findFirst().orElseThrow();
        assertEquals(ResponseStatus.UNKNOWN, first.responseStatus());
        assertNull(first.responseCode());
        assertEquals(100, first.endNs(), "without a response the span ends at the request's last byte");
        assertEquals(202, second.responseCode());
        assertEquals(1, counters.get("stream.gaps"));
        assertEquals(8, counters.get("stream.gap_bytes"));
    }

    @Test
    void truncatedPayloadsBecomeGapsAndTheNextMessageStillParses() {
        Pipeline p = pipeline();
        byte[] prefix = "REQ /big".getBytes(StandardCharsets.US_ASCII);
        p.accept(rec(100, Direction.INGRESS, SERVER, CLIENT, 1000, prefix, 5000)); // 8 of 5000 bytes captured
        p.accept(rec(200, Direction.INGRESS, 6000, "REQ /small\n"));
        p.accept(rec(300, Direction.EGRESS, 9000, "RES 200\n"));
        p.finish();

        assertEquals(1, spans.size());
        assertEquals("/small", spans.get(0).endpoint());
        assertEquals(4992, counters.get("stream.truncated_bytes"));
    }

    @Test
    void aThrowingParserCostsOnlyItsConnection() {
        Pipeline p = pipeline();
        p.accept(rec(100, Direction.INGRESS, 1000, "REQ /ok\nBOOM\n"));
        p.accept(rec(110, Direction.INGRESS, "10.0.0.2:80", "10.0.0.9:1", 1, "REQ /other\n".getBytes(), 11));
        p.accept(rec(120, Direction.EGRESS, "10.0.0.2:80", "10.0.0.9:1", 1, "RES 200\n".getBytes(), 8));
        p.finish();

        assertEquals(1, counters.get("parse.exceptions.LINE"));
        assertTrue(spans.stream().anyMatch(s -> "/other".equals(s.endpoint()) && s.responseCode() == 200));
        assertTrue(spans.stream().anyMatch(s -> "/ok".equals(s.endpoint()) && s.responseStatus() == ResponseStatus.UNKNOWN));
    }

    @Test
    void unknownTrafficIsCountedNotParsed() {
        Pipeline p = pipeline();
        p.accept(rec(100, Direction.INGRESS, 1000, "\u0000\u0001garbage"));
        p.finish();
        assertTrue(spans.isEmpty());
        assertEquals(9, counters.get("bytes.unparsed"));
    }

    @Test
    void aRemovedParserIsNoLongerUsedForItsConnections() {
        List<org.deeptrace.api.protocol.ProtocolParser> registered = new ArrayList<>(List.of(new LineProtocol()));
        ParserCatalog live = new ParserCatalog() {
            @Override
            public List<org.deeptrace.api.protocol.ProtocolParser> parsers() {
                return List.copyOf(registered);
            }

            @Override
            public boolean contains(org.deeptrace.api.protocol.ProtocolParser parser) {
                return registered.contains(parser);
            }
        };
        Pipeline p = pipeline(live);
        p.accept(rec(100, Direction.INGRESS, 1000, "REQ /1\n"));
        p.accept(rec(150, Direction.EGRESS, 5000, "RES 200\n"));
        registered.clear();
        p.accept(rec(200, Direction.INGRESS, 1007, "REQ /2\n"));
        p.finish();

        assertEquals(1, spans.size());
        assertEquals(1, counters.get("connections.parser_removed"));
        assertEquals(7, counters.get("bytes.unparsed"));
    }

    @Test
    void clientSpansGetTheParentTheCorrelatorChoseWithItsExplanation() {
        correlator = new Correlator() {
            @Override
            public String name() {
                return "first";
            }

            @Override
            public List<Decision> correlate(org.deeptrace.api.correlation.CorrelationWindow w) {
                List<Decision> out = new ArrayList<>();
                for (Span c : w.clients()) {
                    Span parent = w.servers().stream().filter(s -> s.encloses(c)).findFirst().orElse(null);
                    out.add(new Decision(c.spanId(), parent == null ? null : parent.spanId(), 0.75, w.servers().size()));
                }
                return out;
            }
        };
        Pipeline p = pipeline();
        String downstream = "10.0.0.3:6379";
        String self = "10.0.0.2:40000";
        p.accept(rec(100, Direction.INGRESS, 1000, "REQ /front\n"));
        p.accept(rec(110, Direction.EGRESS, self, downstream, 1, "REQ /back\n".getBytes(), 10));
        p.accept(rec(150, Direction.INGRESS, self, downstream, 1, "RES 200\n".getBytes(), 8));
        p.accept(rec(200, Direction.EGRESS, 5000, "RES 200\n"));
        p.finish();

        Span server = spans.stream().filter(s -> s.kind() == SpanKind.SERVER).findFirst().orElseThrow();
        Span client = spans.stream().filter(s -> s.kind() == SpanKind.CLIENT).findFirst().orElseThrow();
        assertEquals(server.spanId(), client.parentSpanId());
        assertNotNull(client.correlation());
        assertEquals("first", client.correlation().algorithm());
        assertEquals(0.75, client.correlation().score());
        assertNull(server.parentSpanId());
        assertEquals(1, counters.get("correlation.parented"));
    }

    @Test
    void windowsCloseAsTheCaptureClockAdvancesSoMemoryStaysBounded() {
        Pipeline p = pipeline();
        long second = 1_000_000_000L;
        for (int i = 0; i < 100; i++) {
            long t = i * second;
            String client = "10.0.0.1:" + (1000 + i);
            p.accept(rec(t, Direction.INGRESS, SERVER, client, 1, "REQ /x\n".getBytes(), 7));
            p.accept(rec(t + 10, Direction.EGRESS, SERVER, client, 1, "RES 200\n".getBytes(), 8));
        }
        // Before finish, windows older than window + grace (10 s) have been emitted already.
        assertTrue(spans.size() >= 85, "spans emitted before the end: " + spans.size());
        p.finish();
        assertEquals(100, spans.size());
    }
}
