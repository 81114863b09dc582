package org.deeptrace.protocol.http2.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/**
 * The client starts an HTTP/2 connection with a fixed preface; the server with a SETTINGS frame. Only the start
 * of a connection is recognised (h2c with prior knowledge, or h2 after TLS was removed by the capture).
 */
final class Http2Inference {

    private Http2Inference() {
    }

    static Inference infer(ByteBuffer b) {
        int base = b.position();
        int n = b.limit() - base;
        byte[] preface = Http2Frames.PREFACE;
        int cmp = Math.min(n, preface.length);
        if (cmp >= 4) {
            boolean match = true;
            for (int i = 0; i < cmp && match; i++) {
                match = b.get(base + i) == preface[i];
            }
            if (match) {
                return Inference.of(cmp == preface.length ? 0.95 : 0.8, Origin.CLIENT);
            }
        }
        if (n >= Http2Frames.HEADER_LENGTH && (b.get(base + 3) & 0xff) == Http2Frames.SETTINGS
                && (b.get(base + 4) & 0xff) == 0 && Http2Frames.plausible(b, base)) {
            // A SETTINGS frame (not an ACK) is every server's first frame, but nine bytes are weak evidence.
            int length = ((b.get(base) & 0xff) << 16) | ((b.get(base + 1) & 0xff) << 8) | (b.get(base + 2) & 0xff);
            return Inference.of(length <= 36 ? 0.6 : 0.4, Origin.SERVER);
        }
        return Inference.NO;
    }
}
