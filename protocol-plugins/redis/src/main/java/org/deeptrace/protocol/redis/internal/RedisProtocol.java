package org.deeptrace.protocol.redis.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.osgi.service.component.annotations.Component;

/**
 * Redis over TCP (RESP2 and RESP3): commands and their replies, framed by the lengths RESP announces. See the
 * plugin's README for the fields and the limits.
 */
@Component(service = ProtocolParser.class)
public final class RedisProtocol implements ProtocolParser {
    static final String PROTOCOL = "Redis";
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
            return RespInference.infer(firstBytes, srcPort, dstPort);
        } catch (RuntimeException e) {
            return Inference.NO; // a verdict must never fail the pipeline
        }
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new RespParser();
    }
}
