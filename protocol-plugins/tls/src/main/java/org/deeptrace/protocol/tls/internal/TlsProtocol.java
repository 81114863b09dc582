package org.deeptrace.protocol.tls.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.osgi.service.component.annotations.Component;

/**
 * TLS over TCP: the plaintext handshake records (ClientHello with SNI and ALPN, ServerHello with the version and
 * cipher suite) and alerts as {@code session} messages; record boundaries from the record header for the rest,
 * whose encrypted bodies are skipped. See the plugin's README.
 */
@Component(service = ProtocolParser.class)
public final class TlsProtocol implements ProtocolParser {
    static final String PROTOCOL = "TLS";
    private static final Set<Transport> TRANSPORTS = Set.of(Transport.TCP);

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public Set<Transport> transports() {
        return TRANSPORTS;
    }

    @Override
    public Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        if (l4 != Transport.TCP) {
            return Inference.NO;
        }
        try {
            return TlsInference.infer(firstBytes, srcPort, dstPort);
        } catch (RuntimeException e) {
            return Inference.NO; // a verdict must never fail the pipeline
        }
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new TlsConnectionParser();
    }
}
