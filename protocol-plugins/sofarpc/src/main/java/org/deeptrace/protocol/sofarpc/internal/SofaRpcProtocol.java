package org.deeptrace.protocol.sofarpc.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.support.parser.TcpProtocol;
import org.osgi.service.component.annotations.Component;

/**
 * SOFARPC over the Bolt protocol (v1 and v2) over TCP: commands framed by their fixed part, with service, method
 * and trace id from the header map. See the plugin's README for the fields and the limits.
 */
@Component(service = ProtocolParser.class)
public final class SofaRpcProtocol extends TcpProtocol {
    /** Class names of SOFARPC's own commands: seeing one makes the verdict near certain. */
    private static final String SOFA_CLASS_PREFIX = "com.alipay.sofa.rpc.core.";

    public SofaRpcProtocol() {
        super(SofaMessages.PROTOCOL);
    }

    /**
     * A complete, consistent fixed part is required (proto 1 or 2, a type, a command code that fits it, ver2 1, a
     * defined response status, bounded lengths, empty lengths for heartbeats). Followed by a class name of printable
     * ASCII it is near certain (0.95, SOFARPC's own class names included); a bare heartbeat, which SOFARPC clients
     * send first on an idle connection, is likely (0.8). No other supported protocol fits: TLS starts with
     * 0x14-0x17, HTTP/2 with {@code PRI}, Redis with a type character, Dubbo with 0xda, framed Thrift with a
     * length whose first byte is 0 for any frame under 16 MiB; a DNS-over-TCP message of 256-258 bytes would need
     * an id of 0-2 and a flags byte of 1 and still fail the later fields.
     */
    @Override
    protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) {
        ByteBuffer b = firstBytes.duplicate();
        byte[] head = new byte[Math.min(b.remaining(), BoltHeader.MAX_FIXED + 64)];
        b.get(head);
        int fixed = BoltHeader.fixedLength(head, head.length);
        if (fixed <= 0 || head.length < fixed) {
            return Inference.NO;
        }
        BoltHeader h = BoltHeader.parse(head);
        if (h == null || !BoltHeader.plausiblePrefix(head, fixed)) {
            return Inference.NO;
        }
        Origin sender = h.request() ? Origin.CLIENT : Origin.SERVER;
        if (h.heartbeat()) {
            return Inference.of(0.8, sender);
        }
        if (h.classLength() == 0) {
            return Inference.of(0.6, sender);
        }
        int available = Math.min(h.classLength(), head.length - fixed);
        for (int i = fixed; i < fixed + available; i++) {
            if (head[i] < 0x21 || head[i] > 0x7e) {
                return Inference.NO;
            }
        }
        String name = new String(head, fixed, available, StandardCharsets.US_ASCII);
        return Inference.of(name.startsWith(SOFA_CLASS_PREFIX) || available >= 8 ? 0.95 : 0.7, sender);
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new BoltParser();
    }
}
