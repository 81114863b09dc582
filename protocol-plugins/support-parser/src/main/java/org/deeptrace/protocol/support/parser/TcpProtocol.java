package org.deeptrace.protocol.support.parser;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;

/**
 * The common part of a TCP-only {@link ProtocolParser}: its name, its one transport, and an {@link #infer} that
 * answers {@link Inference#NO} for anything but TCP and for an inference that throws (a verdict must never fail
 * the pipeline). A plugin's component extends it and writes only {@link #inferTcp} and {@code open}:
 *
 * <pre>{@code
 * @Component(service = ProtocolParser.class)
 * public final class MyProtocol extends TcpProtocol {
 *     public MyProtocol() {
 *         super("My");
 *     }
 *
 *     protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) { ... }
 *
 *     public ConnectionParser open(ConnectionInfo connection) {
 *         return new MyParser();
 *     }
 * }
 * }</pre>
 */
public abstract class TcpProtocol implements ProtocolParser {
    private static final Set<Transport> TCP = Set.of(Transport.TCP);

    private final String protocol;

    protected TcpProtocol(String protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public final String protocol() {
        return protocol;
    }

    @Override
    public final Set<Transport> transports() {
        return TCP;
    }

    @Override
    public final Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        if (l4 != Transport.TCP) {
            return Inference.NO;
        }
        try {
            return inferTcp(firstBytes, srcPort, dstPort);
        } catch (RuntimeException e) {
            return Inference.NO; // a verdict must never fail the pipeline
        }
    }

    /** The verdict on the first bytes a TCP connection's sender sent; may throw on input it did not expect. */
    protected abstract Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort);
}
