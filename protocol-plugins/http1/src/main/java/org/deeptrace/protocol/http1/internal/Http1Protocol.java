package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.osgi.service.component.annotations.Component;

/**
 * HTTP/1.0 and HTTP/1.1 over TCP: requests and responses with their methods, targets, status codes, and the
 * trace ids and request ids of common propagation headers. See the plugin's README for what it parses.
 */
@Component(service = ProtocolParser.class)
public final class Http1Protocol implements ProtocolParser {

    private static final Set<Transport> TRANSPORTS = Set.of(Transport.TCP);

    @Override
    public String protocol() {
        return Http1Messages.PROTOCOL;
    }

    @Override
    public Set<Transport> transports() {
        return TRANSPORTS;
    }

    @Override
    public Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        try {
            return Http1Inference.infer(firstBytes, l4);
        } catch (RuntimeException e) {
            return Inference.NO; // a verdict must never fail the pipeline
        }
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new Http1ConnectionParser();
    }
}
