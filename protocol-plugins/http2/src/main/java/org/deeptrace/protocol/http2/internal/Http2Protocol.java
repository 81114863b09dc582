package org.deeptrace.protocol.http2.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.osgi.service.component.annotations.Component;

/**
 * HTTP/2 over TCP (cleartext: h2c with prior knowledge, or decrypted h2): frames, HPACK, one request and one
 * response per stream. Streams carrying {@code application/grpc} are written as protocol {@code gRPC}. See the
 * plugin's README for the fields and the limits.
 */
@Component(service = ProtocolParser.class)
public final class Http2Protocol implements ProtocolParser {
    private static final Set<Transport> TRANSPORTS = Set.of(Transport.TCP);

    @Override
    public String protocol() {
        return Http2Messages.HTTP2;
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
            return Http2Inference.infer(firstBytes);
        } catch (RuntimeException e) {
            return Inference.NO; // a verdict must never fail the pipeline
        }
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new Http2ConnectionParser();
    }
}
