package org.deeptrace.pipeline.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.Transport;
import org.deeptrace.protocol.dns.internal.DnsProtocol;
import org.deeptrace.protocol.thrift.internal.ThriftProtocol;
import org.junit.jupiter.api.Test;

/**
 * Live capture gives one record per read(): a server that reads a length prefix alone (dnsmasq for DNS over TCP, a
 * Thrift framed server) hands inference a chunk too short to judge. The pipeline keeps it and judges it with the
 * next chunk, so the first message of the connection is parsed whole and keeps the timestamp of its first byte.
 * Here (not in the pipeline module) because the real plugins' tests depend on the pipeline: a reactor cycle there.
 */
class UndecidedLengthPrefixTest {
    static final String CLIENT = "10.0.0.1:5555";

    final Counters counters = new Counters();
    final List<Span> spans = new ArrayList<>();
    final List<L7Message> messages = new ArrayList<>();
    final Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(new DnsProtocol(), new ThriftProtocol())),
            () -> null, PipelineSettings.defaults("test-host"), counters, messages::add, spans::addAll);

    /** example.com A, id 0x1234, RD. */
    static final byte[] DNS_QUERY = bytes(0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1);
    /** Its answer: 93.184.216.34, TTL 3600. */
    static final byte[] DNS_ANSWER = bytes(0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
            7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
            0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34);

    @Test
    void aDnsOverTcpLengthReadAloneIsJudgedWithTheMessageAfterIt() {
        String server = "10.0.0.2:53";
        pipeline.accept(rec(100, Direction.INGRESS, server, 1000, prefix2(DNS_QUERY.length)));
        pipeline.accept(rec(110, Direction.INGRESS, server, 1002, DNS_QUERY));
        pipeline.accept(rec(200, Direction.EGRESS, server, 5000, prefix2(DNS_ANSWER.length)));
        pipeline.accept(rec(210, Direction.EGRESS, server, 5002, DNS_ANSWER));
        pipeline.finish();

        assertEquals(1, counters.get("connections.DNS"));
        assertEquals(0, counters.get("bytes.unparsed"), "the length read alone is parsed with its message");
        assertEquals(2, messages.size());
        assertEquals(100, messages.get(0).tsNs(), "the query starts with the record of its length");
        assertEquals("DNS", messages.get(0).parsed().protocol());
        assertEquals(200, messages.get(1).tsNs());
        assertEquals(1, spans.size());
        Span span = spans.get(0);
        assertEquals("DNS", span.protocol());
        assertEquals(100, span.startNs());
        assertEquals(210, span.endNs());
    }

    @Test
    void aThriftFrameLengthReadAloneIsJudgedWithTheFrameAfterIt() {
        String server = "10.0.0.2:7000";
        byte[] call = thriftMessage(1, "getUser", 7, bytes(0x08, 0, 1, 0, 0, 0, 42, 0));
        byte[] reply = thriftMessage(2, "getUser", 7, bytes(0x08, 0, 0, 0, 0, 0, 1, 0));
        pipeline.accept(rec(100, Direction.INGRESS, server, 1000, prefix4(call.length)));
        pipeline.accept(rec(110, Direction.INGRESS, server, 1004, call));
        pipeline.accept(rec(200, Direction.EGRESS, server, 5000, concat(prefix4(reply.length), reply)));
        pipeline.finish();

        assertEquals(1, counters.get("connections.Thrift"));
        assertEquals(0, counters.get("bytes.unparsed"));
        assertEquals(1, spans.size());
        Span span = spans.get(0);
        assertEquals("Thrift", span.protocol());
        assertEquals("getUser", span.endpoint());
        assertEquals(100, span.startNs(), "the request starts with the record of its frame length");
        assertEquals(200, span.endNs());
        assertEquals(100, messages.get(0).tsNs());
    }

    static CaptureRecord rec(long ts, Direction d, String server, long seq, byte[] payload) {
        return rec(ts, d, server, seq, payload, payload.length);
    }

    static CaptureRecord rec(long ts, Direction d, String server, long seq, byte[] payload, int size) {
        return new CaptureRecord(ts, CaptureRecord.ABSENT, 42, 7, "svc", 3, d == Direction.INGRESS ? "read" : "write",
                d, Transport.TCP, server, CLIENT, seq, size, ByteBuffer.wrap(payload), payload.length < size);
    }

    /** A strict binary-protocol message header ({@code type}: 1 CALL, 2 REPLY) followed by its struct. */
    static byte[] thriftMessage(int type, String method, int seqId, byte[] struct) {
        byte[] name = method.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(12 + name.length + struct.length);
        b.putInt(0x80010000 | type).putInt(name.length).put(name).putInt(seqId).put(struct);
        return b.array();
    }

    static byte[] prefix2(int length) {
        return bytes(length >> 8, length);
    }

    static byte[] prefix4(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
