package org.deeptrace.protocol.thrift.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.support.parser.TcpProtocol;
import org.osgi.service.component.annotations.Component;

/**
 * Apache Thrift over TCP: binary (strict and old non-strict), compact and JSON protocols, framed, unframed
 * (buffered) and THeader transports. See the plugin's README for the fields and the limits.
 */
@Component(service = ProtocolParser.class)
public final class ThriftProtocol extends TcpProtocol {
    static final String PROTOCOL = "Thrift";

    public ThriftProtocol() {
        super(PROTOCOL);
    }

    @Override
    protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) {
        return infer(firstBytes, srcPort, dstPort);
    }

    /**
     * Only a complete message header counts: version and type bits, a printable method name of at most 256 bytes,
     * and, when framed, a frame length that holds the header; a THeader frame's fixed part and header block. The
     * old non-strict binary header has no magic bits, so it gets less confidence; so do JSON (4 fixed bytes) and a
     * THeader frame whose message could not be read (a transform: only the frame's own fields were checked).
     */
    static Inference infer(ByteBuffer firstBytes, int srcPort, int dstPort) {
        ByteBuffer b = firstBytes.duplicate();
        int n = Math.min(b.remaining(), THeaderFrame.MAX_THEADER);
        byte[] head = new byte[n];
        b.get(head);
        ThriftHeader h = new ThriftHeader();
        if (h.parse(head, 0, n) <= 0) {
            return Inference.NO;
        }
        boolean opaque = h.theader != null && h.theader.opaque;
        double confidence = opaque ? 0.8 : switch (h.encoding) {
            case BINARY -> 0.9;
            case COMPACT -> 0.85;
            case JSON -> 0.8;
            case BINARY_OLD -> 0.7;
        };
        if (isThriftPort(srcPort) || isThriftPort(dstPort)) {
            confidence += 0.05;
        }
        // An opaque THeader frame has no message type: the first sender of a connection is taken for the client.
        boolean request = opaque || h.type == ThriftHeader.CALL || h.type == ThriftHeader.ONEWAY;
        return Inference.of(confidence, request ? Origin.CLIENT : Origin.SERVER);
    }

    private static boolean isThriftPort(int port) {
        return port == 9090 || port == 9160; // Thrift's examples; Cassandra's legacy Thrift port
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new ThriftParser();
    }
}
