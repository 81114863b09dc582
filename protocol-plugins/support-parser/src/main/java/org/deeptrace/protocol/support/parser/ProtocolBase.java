package org.deeptrace.protocol.support.parser;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;

/**
 * The common part of a {@link ProtocolParser}: its name, its transports, and an {@link #infer} that answers
 * {@link Inference#NO} for a transport it does not run over and for an inference that throws (a verdict must never
 * fail the pipeline). TCP-only plugins extend {@link TcpProtocol}; a plugin that also runs over UDP (SOME/IP)
 * extends this class and writes {@link #inferOn} and {@code open}.
 */
public abstract class ProtocolBase implements ProtocolParser {
    private final String protocol;
    private final Set<Transport> transports;

    protected ProtocolBase(String protocol, Set<Transport> transports) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.transports = Set.copyOf(transports);
    }

    @Override
    public final String protocol() {
        return protocol;
    }

    @Override
    public final Set<Transport> transports() {
        return transports;
    }

    @Override
    public final Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        if (!transports.contains(l4)) {
            return Inference.NO;
        }
        try {
            return inferOn(firstBytes, l4, srcPort, dstPort);
        } catch (RuntimeException e) {
            return Inference.NO; // a verdict must never fail the pipeline
        }
    }

    /**
     * The verdict on the first bytes a connection's sender sent over {@code l4}, one of {@link #transports()};
     * may throw on input it did not expect.
     */
    protected abstract Inference inferOn(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort);
}
