package org.deeptrace.protocol.support.parser;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;

/**
 * The common part of a TCP-only {@link ProtocolParser} ({@link ProtocolBase} with the one transport TCP): its
 * name, its transport, and an {@link #infer} that answers {@link Inference#NO} for anything but TCP and for an
 * inference that throws (a verdict must never fail the pipeline). A plugin's component extends it and writes only
 * {@link #inferTcp} and {@code open}:
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
public abstract class TcpProtocol extends ProtocolBase {
    private static final Set<Transport> TCP = Set.of(Transport.TCP);

    protected TcpProtocol(String protocol) {
        super(protocol, TCP);
    }

    @Override
    protected final Inference inferOn(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        return inferTcp(firstBytes, srcPort, dstPort);
    }

    /** The verdict on the first bytes a TCP connection's sender sent; may throw on input it did not expect. */
    protected abstract Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort);
}
