package org.deeptrace.protocol.fastcgi.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.support.parser.TcpProtocol;
import org.osgi.service.component.annotations.Component;

/**
 * FastCGI over TCP (a web server such as nginx talking to php-fpm or another application server). See the
 * plugin's README for the fields and the limits.
 */
@Component(service = ProtocolParser.class)
public final class FcgiProtocol extends TcpProtocol {
    static final String PROTOCOL = "FastCGI";

    public FcgiProtocol() {
        super(PROTOCOL);
    }

    @Override
    protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) {
        return infer(firstBytes, srcPort, dstPort);
    }

    /**
     * A connection opens with BEGIN_REQUEST (content length 8, a known role, zero reserved bytes): certain. A
     * capture that starts later sees other records, whose 8-byte header alone is weaker evidence; those need
     * a printable start of content where the record type carries text.
     */
    static Inference infer(ByteBuffer firstBytes, int srcPort, int dstPort) {
        ByteBuffer b = firstBytes.duplicate();
        if (b.remaining() < FcgiRecord.HEADER) {
            return Inference.NO;
        }
        byte[] head = new byte[Math.min(b.remaining(), 32)];
        b.get(head);
        if (!FcgiRecord.plausibleHeader(head, 0) || head[7] != 0) {
            return Inference.NO;
        }
        int type = head[1] & 0xff;
        int contentLength = FcgiRecord.contentLength(head, 0);
        double hint = srcPort == 9000 || dstPort == 9000 ? 0.05 : 0; // php-fpm's usual port
        switch (type) {
            case FcgiRecord.BEGIN_REQUEST -> {
                if (contentLength != 8) {
                    return Inference.NO;
                }
                if (head.length < 16) {
                    return Inference.of(0.7 + hint, Origin.CLIENT);
                }
                int role = (head[8] & 0xff) << 8 | head[9] & 0xff;
                boolean reservedZero = head[11] == 0 && head[12] == 0 && head[13] == 0 && head[14] == 0
                        && head[15] == 0;
                boolean flagsKnown = (head[10] & 0xfe) == 0;
                return role >= 1 && role <= 3 && reservedZero && flagsKnown
                        ? Inference.of(0.95, Origin.CLIENT) : Inference.NO;
            }
            case FcgiRecord.GET_VALUES -> {
                return Inference.of(0.6 + hint, Origin.CLIENT);
            }
            case FcgiRecord.END_REQUEST -> {
                return contentLength == 8 ? Inference.of(0.6 + hint, Origin.SERVER) : Inference.NO;
            }
            case FcgiRecord.PARAMS, FcgiRecord.STDIN -> {
                return Inference.of(0.5 + hint, Origin.CLIENT);
            }
            case FcgiRecord.STDOUT, FcgiRecord.STDERR -> {
                return textStart(head, contentLength) ? Inference.of(0.6 + hint, Origin.SERVER) : Inference.NO;
            }
            default -> {
                return Inference.NO;
            }
        }
    }

    /** The content's first bytes (as many as were captured, up to 8) are printable text or line breaks. */
    private static boolean textStart(byte[] head, int contentLength) {
        int n = Math.min(Math.min(contentLength, 8), head.length - FcgiRecord.HEADER);
        if (n <= 0) {
            return contentLength == 0;
        }
        for (int i = FcgiRecord.HEADER; i < FcgiRecord.HEADER + n; i++) {
            int c = head[i] & 0xff;
            if (c < 0x20 && c != '\r' && c != '\n' && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new FcgiParser();
    }
}
