package org.deeptrace.protocol.dns.internal;

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
 * DNS over UDP (one message per datagram) and TCP (messages behind a 2-byte length): queries and responses with
 * their id, first question and response code. See the plugin's README for the fields and the limits.
 */
@Component(service = ProtocolParser.class)
public final class DnsProtocol extends ProtocolBase {
    public DnsProtocol() {
        super(DnsMessages.PROTOCOL, Set.of(Transport.UDP, Transport.TCP));
    }

    @Override
    protected Inference inferOn(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        return DnsInference.infer(firstBytes, l4, srcPort, dstPort);
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return connection.l4() == Transport.TCP ? new DnsTcpParser() : new DnsUdpParser();
    }
}
