package org.deeptrace.pipeline.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

/**
 * Bytes inference cannot decide on are kept (bounded, contiguous) and judged with the next chunk: live capture gives
 * one record per read(). The real DNS/Thrift cases are in bench (UndecidedLengthPrefixTest): the plugins' tests
 * depend on this module.
 */
class UndecidedBytesTest extends LinePipelineTest {
    static final String SERVER = "10.0.0.2:80";
    static final String CLIENT = "10.0.0.1:5555";

    @Test
    void aRequestWhoseFirstBytesCameAloneIsParsedWithTheTimestampOfThem() {
        pipeline.accept(rec(100, Direction.INGRESS, 1000, ascii("RE")));
        pipeline.accept(rec(110, Direction.INGRESS, 1002, ascii("Q /a\n")));
        pipeline.accept(rec(200, Direction.EGRESS, 5000, ascii("RES 200\n")));
        pipeline.finish();

        assertEquals(0, counters.get("bytes.unparsed"));
        assertEquals(1, spans.size());
        assertEquals("/a", spans.get(0).endpoint());
        assertEquals(100, spans.get(0).startNs(), "the request starts with the record of its first byte");
        assertEquals(100, messages.get(0).tsNs());
    }

    @Test
    void aGapEndsTheUndecidedBytes() {
        // "RE" then three bytes lost (a truncated record): "RE" is not glued to what follows the gap.
        pipeline.accept(rec(100, Direction.INGRESS, 1000, ascii("RE"), 5));
        pipeline.accept(rec(110, Direction.INGRESS, 1005, ascii("Q /a\n")));
        pipeline.finish();

        assertEquals(2 + 5, counters.get("bytes.unparsed"));
        assertEquals(0, messages.size());
    }

    @Test
    void undecidedBytesAreBoundedAndCountedUnparsed() {
        byte[] noise = new byte[Connection.MAX_UNDECIDED_BYTES / 2 + 1];
        Arrays.fill(noise, (byte) 'x');
        pipeline.accept(rec(100, Direction.INGRESS, 1000, noise));
        pipeline.accept(rec(110, Direction.INGRESS, 1000 + noise.length, noise));
        // Past the bound the kept bytes were given up: "RE" + "Q /b\n" still parse, from the record at 120.
        pipeline.accept(rec(120, Direction.INGRESS, 1000 + 2L * noise.length, ascii("RE")));
        pipeline.accept(rec(130, Direction.INGRESS, 1002 + 2L * noise.length, ascii("Q /b\n")));
        pipeline.finish();

        assertEquals(2L * noise.length, counters.get("bytes.unparsed"));
        assertEquals(1, messages.size());
        assertEquals(120, messages.get(0).tsNs());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static CaptureRecord rec(long ts, Direction d, long seq, byte[] payload) {
        return rec(ts, d, seq, payload, payload.length);
    }

    static CaptureRecord rec(long ts, Direction d, long seq, byte[] payload, int size) {
        return new CaptureRecord(ts, CaptureRecord.ABSENT, 42, 7, "svc", 3, d == Direction.INGRESS ? "read" : "write",
                d, Transport.TCP, SERVER, CLIENT, seq, size, ByteBuffer.wrap(payload), payload.length < size);
    }
}
