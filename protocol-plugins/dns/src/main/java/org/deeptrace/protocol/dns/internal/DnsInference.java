package org.deeptrace.protocol.dns.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/**
 * Recognises a DNS message in the first bytes one end sent: a sane header (known opcode, at most a few
 * questions, Z bit clear) and a first question whose name, type and class parse within the bytes. Over TCP the
 * 2-byte length must announce at least a header. A DNS port (53, 5353 mDNS, 5355 LLMNR) raises confidence; it is
 * never required.
 */
final class DnsInference {
    /** Enough for a header and the longest question. */
    static final int INSPECT = 2 + DnsMessage.HEADER + DnsNames.MAX_NAME + 4 + 64;

    private DnsInference() {
    }

    static Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        ByteBuffer b = firstBytes.duplicate();
        byte[] bytes = new byte[Math.min(b.remaining(), INSPECT)];
        b.get(bytes);
        Object parsed;
        if (l4 == Transport.TCP) {
            if (bytes.length < 2 + DnsMessage.HEADER) {
                return Inference.NO;
            }
            int length = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
            if (length < DnsMessage.HEADER) {
                return Inference.NO;
            }
            parsed = DnsMessage.parse(bytes, 2, Math.min(length, bytes.length - 2));
        } else {
            parsed = DnsMessage.parse(bytes, 0, bytes.length);
        }
        if (!(parsed instanceof DnsMessage m) || m.questions() == 0 || m.name() == null) {
            return Inference.NO;
        }
        int flagsLow = l4 == Transport.TCP ? 5 : 3;
        if (!m.lossy() && (bytes[flagsLow] & 0x40) != 0) {
            return Inference.NO; // the Z bit must be zero
        }
        if (Boolean.FALSE.equals(m.response()) && m.opcode() == 0 && m.answers() > 0) {
            return Inference.NO; // a standard query carries no answers
        }
        boolean dnsPort = isDnsPort(srcPort) || isDnsPort(dstPort);
        double confidence;
        if (m.lossy()) {
            confidence = dnsPort ? 0.8 : 0.4;
        } else if (l4 == Transport.TCP) {
            confidence = dnsPort ? 0.9 : 0.6;
        } else {
            confidence = dnsPort ? 0.95 : 0.7;
        }
        Origin sender;
        if (m.response() != null) {
            sender = m.response() ? Origin.SERVER : Origin.CLIENT;
        } else {
            sender = isDnsPort(srcPort) && !isDnsPort(dstPort) ? Origin.SERVER : Origin.CLIENT;
        }
        return Inference.of(confidence, sender);
    }

    static boolean isDnsPort(int port) {
        return port == 53 || port == 5353 || port == 5355;
    }
}
