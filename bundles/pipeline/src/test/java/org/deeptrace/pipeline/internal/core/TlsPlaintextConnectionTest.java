package org.deeptrace.pipeline.internal.core;

import static org.deeptrace.pipeline.internal.core.UndecidedBytesTest.CLIENT;
import static org.deeptrace.pipeline.internal.core.UndecidedBytesTest.SERVER;
import static org.deeptrace.pipeline.internal.core.UndecidedBytesTest.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

/**
 * A TLS server captured live gives two byte streams on one socket: the ciphertext of its read/write syscalls and
 * the plaintext of the uprobes on SSL_read/SSL_write. They are two connections to the pipeline, or each one's
 * bytes would be parsed inside the other's (found by itests/live-protocols' Http2NginxLiveIT: nginx serving
 * HTTP/2 over TLS lost its plaintext and counted TLS records as malformed).
 */
class TlsPlaintextConnectionTest extends LinePipelineTest {

    @Test
    void plaintextFromTheUprobesIsAConnectionOfItsOwn() {
        byte[] cipher = {0x17, 0x03, 0x03, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        pipeline.accept(rec(100, "read", Direction.INGRESS, 1000, cipher));
        pipeline.accept(rec(101, "ssl_read", Direction.INGRESS, CaptureRecord.ABSENT, ascii("REQ /a\n")));
        pipeline.accept(rec(150, "ssl_write", Direction.EGRESS, CaptureRecord.ABSENT, ascii("RES 200\n")));
        pipeline.accept(rec(151, "write", Direction.EGRESS, 5000, cipher));
        pipeline.accept(rec(200, "read", Direction.INGRESS, 1000 + cipher.length, cipher));
        pipeline.accept(rec(201, "ssl_read", Direction.INGRESS, CaptureRecord.ABSENT, ascii("REQ /b\n")));
        pipeline.accept(rec(250, "ssl_write", Direction.EGRESS, CaptureRecord.ABSENT, ascii("RES 404\n")));
        pipeline.accept(rec(251, "write", Direction.EGRESS, 5000 + cipher.length, cipher));
        pipeline.finish();

        assertEquals(List.of("/a 200", "/b 404"), spans.stream().map(s -> s.endpoint() + " " + s.responseCode())
                .toList());
        assertEquals(List.of(SERVER), spans.stream().map(Span::local).distinct().toList());
        assertEquals(4L * cipher.length, counters.get("bytes.unparsed"), "the ciphertext, and only it, unparsed");
    }

    static CaptureRecord rec(long ts, String syscall, Direction d, long seq, byte[] payload) {
        return new CaptureRecord(ts, CaptureRecord.ABSENT, 42, 7, "svc", 3, syscall, d, Transport.TCP, SERVER, CLIENT,
                seq, payload.length, ByteBuffer.wrap(payload), false);
    }
}
