package org.deeptrace.protocol.tars.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/**
 * Recognises a Tars packet: a plausible length, then JCE heads of {@code iVersion} (1-3) and {@code cPacketType}
 * (0 or 1). That second check is what tells Tars from framed Thrift (whose frame starts with {@code 80 01},
 * {@code 82} or a method name length) and from other length-prefixed protocols. The type of field 5 says who sent
 * it: a servant name (string) comes from the client, a return code (number) from the server.
 */
final class TarsInference {

    /** Bytes of a packet decoded for a verdict: the header fields come first. */
    private static final int INSPECT_LIMIT = 4096;

    private TarsInference() {
    }

    static Inference infer(ByteBuffer bytes) {
        int p = bytes.position();
        int limit = bytes.limit();
        if (limit - p < TarsFrame.MIN_PACKET) {
            return Inference.NO;
        }
        long length = TarsFrame.uint32(bytes, p);
        if (!TarsFrame.plausibleLength(length) || !TarsFrame.plausibleStart(bytes, p + 4, Math.min(limit, p + 8))) {
            return Inference.NO;
        }
        int available = (int) Math.min(Math.min(limit - p, length), INSPECT_LIMIT);
        byte[] body = new byte[available - TarsFrame.LENGTH_SIZE];
        bytes.get(p + TarsFrame.LENGTH_SIZE, body);
        TarsPacket packet = TarsPacket.decode(body, 0, body.length, available == length);
        if (packet == null) {
            return Inference.NO;
        }
        if (packet.requestLayout && packet.funcName != null) {
            return Inference.of(0.95, Origin.CLIENT);
        }
        if (packet.responseLayout && packet.hasRequestId) {
            return Inference.of(0.9, Origin.SERVER);
        }
        return Inference.of(0.6, Origin.CLIENT); // the start fits, but the bytes end before field 5 or 6
    }
}
