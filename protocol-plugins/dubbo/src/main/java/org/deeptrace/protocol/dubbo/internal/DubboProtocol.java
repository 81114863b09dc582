package org.deeptrace.protocol.dubbo.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.support.parser.TcpProtocol;
import org.osgi.service.component.annotations.Component;

/**
 * The Dubbo 2 protocol ({@code dubbo://}) over TCP: calls framed by their 16-byte headers, with service, method and
 * version read from Hessian2 request bodies. See the plugin's README for the fields and the limits.
 */
@Component(service = ProtocolParser.class)
public final class DubboProtocol extends TcpProtocol {
    /** The dubbo:// protocol's default port: only used to tell who sent a heartbeat that opens a capture. */
    static final int DEFAULT_PORT = 20880;

    public DubboProtocol() {
        super(DubboMessages.PROTOCOL);
    }

    /**
     * The magic {@code 0xdabb} alone is 16 bits of evidence; with a flag and status that fit (a request with status
     * 0 or a response with a defined status) and a sane body length it is near certain. Requests come from the
     * client, responses from the server. No other supported protocol starts with {@code 0xda}: TLS records start
     * with 0x14-0x17, HTTP/2 with {@code PRI}, Redis with a type character, framed Thrift and DNS over TCP with a
     * length (0xdabb would announce more than 3.6 GB or 55 kB followed by a bad header).
     */
    @Override
    protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) {
        ByteBuffer b = firstBytes.duplicate();
        int n = Math.min(b.remaining(), DubboHeader.LENGTH);
        if (n < 4) {
            return Inference.NO;
        }
        byte[] h = new byte[DubboHeader.LENGTH];
        b.get(h, 0, n);
        if ((h[0] & 0xff) != DubboHeader.MAGIC_HIGH || (h[1] & 0xff) != DubboHeader.MAGIC_LOW
                || !DubboHeader.plausibleFlagAndStatus(h[2] & 0xff, h[3] & 0xff)) {
            return Inference.NO;
        }
        Origin sender = (h[2] & DubboHeader.FLAG_REQUEST) != 0 ? Origin.CLIENT : Origin.SERVER;
        if ((h[2] & DubboHeader.FLAG_EVENT) != 0 && srcPort == DEFAULT_PORT && dstPort != DEFAULT_PORT) {
            sender = Origin.SERVER; // providers send heartbeat requests to idle consumers too
        }
        if (n < DubboHeader.LENGTH) {
            return Inference.of(0.7, sender);
        }
        return DubboHeader.parse(h, 0) == null ? Inference.NO : Inference.of(0.95, sender);
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new DubboParser();
    }
}
