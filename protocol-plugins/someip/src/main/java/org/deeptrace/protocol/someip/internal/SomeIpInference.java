package org.deeptrace.protocol.someip.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/**
 * Recognises SOME/IP by its header: protocol version 1 at byte 12, a defined message type, a return code in range,
 * E_OK on requests, and a length that frames the bytes: over UDP the datagram must be exactly a sequence of whole
 * messages; over TCP the messages that fit in the first chunk must each be plausible. The header has no magic
 * number, so a single message that does not end inside the first bytes stays at 0.5 unless the port is SOME/IP's.
 */
final class SomeIpInference {
    /** SOME/IP-SD's port, and the first of the ports SOME/IP deployments commonly use (30490-30510). */
    static final int SD_PORT = 30490;

    private SomeIpInference() {
    }

    static Inference infer(ByteBuffer bytes, Transport l4, int srcPort, int dstPort) {
        int p = bytes.position();
        int limit = bytes.limit();
        if (limit - p < SomeIpHeader.SIZE || !SomeIpHeader.plausible(bytes, p)) {
            return Inference.NO;
        }
        int messages = 0;
        int i = p;
        boolean complete = false;
        while (i + SomeIpHeader.SIZE <= limit && messages < 64) {
            if (!SomeIpHeader.plausible(bytes, i)) {
                return Inference.NO;
            }
            long end = i + SomeIpHeader.COUNTED_HEADER + SomeIpHeader.uint32(bytes, i + 4);
            messages++;
            if (end > limit) {
                break;
            }
            i = (int) end;
            complete = i == limit;
        }
        if (l4 == Transport.UDP && !complete) {
            return Inference.NO; // a datagram holds whole messages
        }
        int type = SomeIpHeader.baseType(bytes.get(p + 14) & 0xFF) & ~SomeIpHeader.ACK_FLAG;
        long messageId = SomeIpHeader.uint32(bytes, p);
        boolean sd = messageId == ((long) SomeIpHeader.SD_SERVICE << 16 | SomeIpHeader.SD_METHOD);
        // responses, errors and event notifications come from the service's end
        Origin sender = (type & 0x80) != 0 || type == SomeIpHeader.NOTIFICATION ? Origin.SERVER : Origin.CLIENT;
        boolean knownPort = isSomeIpPort(srcPort) || isSomeIpPort(dstPort);
        if (sd) {
            return Inference.of(knownPort ? 0.95 : 0.8, Origin.CLIENT);
        }
        double confidence = complete ? 0.8 : 0.5;
        return Inference.of(knownPort ? Math.min(0.95, confidence + 0.15) : confidence, sender);
    }

    private static boolean isSomeIpPort(int port) {
        return port >= SD_PORT && port <= SD_PORT + 20;
    }
}
