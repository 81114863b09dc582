package org.deeptrace.pipeline.internal.core;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;

/**
 * The {@link LineProtocol} under another name, inferred with a fixed confidence: for tests of the inference threshold.
 * Its messages keep the protocol name LINE; connections are counted under this parser's name.
 */
public final class ScoredProtocol implements ProtocolParser {
    private final LineProtocol line = new LineProtocol();
    private final String name;
    private final double confidence;

    public ScoredProtocol(String name, double confidence) {
        this.name = name;
        this.confidence = confidence;
    }

    @Override
    public String protocol() {
        return name;
    }

    @Override
    public Set<Transport> transports() {
        return line.transports();
    }

    @Override
    public Inference infer(ByteBuffer b, Transport l4, int srcPort, int dstPort) {
        Inference i = line.infer(b, l4, srcPort, dstPort);
        return i.matches() ? Inference.of(confidence, i.sender()) : Inference.NO;
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return line.open(connection);
    }
}
