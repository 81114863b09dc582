package org.deeptrace.protocol.someip.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.support.parser.ProtocolBase;
import org.osgi.service.component.annotations.Component;

/**
 * SOME/IP (AUTOSAR Scalable service-Oriented MiddlewarE over IP) over TCP and UDP: 16-byte headers framed by their
 * length field, payloads skipped; SOME/IP-SD messages as {@code session} records. See the plugin's README.
 */
@Component(service = ProtocolParser.class)
public final class SomeIpProtocol extends ProtocolBase {
    static final String PROTOCOL = "SomeIP";

    public SomeIpProtocol() {
        super(PROTOCOL, Set.of(Transport.TCP, Transport.UDP));
    }

    @Override
    protected Inference inferOn(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        return SomeIpInference.infer(firstBytes, l4, srcPort, dstPort);
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new SomeIpParser(connection.l4() == Transport.UDP);
    }
}
