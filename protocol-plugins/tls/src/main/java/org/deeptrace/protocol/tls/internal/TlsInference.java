package org.deeptrace.protocol.tls.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/**
 * Recognises TLS from the first bytes one end sent. A handshake record holding a ClientHello or ServerHello
 * (whose own version agrees) is certain and names the sender. A connection picked up after its handshake starts
 * with some other record: plausible when its header is valid and, if the bytes reach that far, the next record's
 * header too; the server is then the end on a common TLS port, or else the end with the lower port.
 */
final class TlsInference {
    private TlsInference() {
    }

    static Inference infer(ByteBuffer firstBytes, int srcPort, int dstPort) {
        ByteBuffer buf = firstBytes.duplicate();
        byte[] b = new byte[Math.min(buf.remaining(), 64 + TlsRecords.MAX_LENGTH)];
        buf.get(b);
        if (b.length < TlsRecords.HEADER || !TlsRecords.plausibleHeader(b, 0)) {
            return Inference.NO;
        }
        int type = b[0] & 0xff;
        int length = ((b[3] & 0xff) << 8) | (b[4] & 0xff);
        if (type == TlsRecords.HANDSHAKE && b.length >= TlsRecords.HEADER + 6) {
            int hsType = b[5] & 0xff;
            int hsLength = ((b[6] & 0xff) << 16) | ((b[7] & 0xff) << 8) | (b[8] & 0xff);
            boolean helloVersion = (b[9] & 0xff) == 3 && (b[10] & 0xff) <= 4;
            if ((hsType == 1 || hsType == 2) && helloVersion && hsLength >= 38) {
                return Inference.of(0.95, hsType == 1 ? Origin.CLIENT : Origin.SERVER);
            }
        }
        int next = TlsRecords.HEADER + length;
        if (b.length >= next + TlsRecords.HEADER && !TlsRecords.plausibleHeader(b, next)) {
            return Inference.NO;
        }
        return Inference.of(0.6, serverSent(srcPort, dstPort) ? Origin.SERVER : Origin.CLIENT);
    }

    private static boolean serverSent(int srcPort, int dstPort) {
        boolean src = isTlsPort(srcPort);
        boolean dst = isTlsPort(dstPort);
        if (src != dst) {
            return src;
        }
        return srcPort < dstPort;
    }

    /** HTTPS, SMTPS, LDAPS, IMAPS, POP3S, DNS over TLS, AMQPS, Kubernetes API, MQTT over TLS, common alternates. */
    static boolean isTlsPort(int port) {
        return switch (port) {
            case 443, 465, 636, 853, 993, 995, 5671, 6443, 8443, 8883, 9443 -> true;
            default -> false;
        };
    }
}
