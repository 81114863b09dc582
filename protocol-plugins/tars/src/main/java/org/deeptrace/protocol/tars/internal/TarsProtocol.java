package org.deeptrace.protocol.tars.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.support.parser.TcpProtocol;
import org.osgi.service.component.annotations.Component;

/**
 * Tars over TCP: packets framed by a 4-byte length, holding a JCE-encoded RequestPacket or ResponsePacket whose
 * header fields are read and whose sBuffer (the call's arguments or result) is skipped. See the plugin's README.
 */
@Component(service = ProtocolParser.class)
public final class TarsProtocol extends TcpProtocol {
    static final String PROTOCOL = "Tars";

    public TarsProtocol() {
        super(PROTOCOL);
    }

    @Override
    protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) {
        return TarsInference.infer(firstBytes);
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new TarsParser();
    }
}
