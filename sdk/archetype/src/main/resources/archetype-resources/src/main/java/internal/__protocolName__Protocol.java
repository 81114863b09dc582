package ${package}.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.osgi.service.component.annotations.Component;

/**
 * The plugin's entry point: a Declarative Services component registered as a {@link ProtocolParser}. The
 * pipeline offers it the first bytes of every new connection (infer) and opens a
 * {@link ${protocolName}Parser} for each connection where it is the most confident parser.
 *
 * <p>It is stateless and shared by every connection and thread: per-connection state lives in the parser that
 * open returns.
 */
@Component(service = ProtocolParser.class)
public final class ${protocolName}Protocol implements ProtocolParser {
    /** The {@code protocol} field of every message record. */
    static final String PROTOCOL = "${protocolName}";
    /** The port the example servers listen on: a hint that raises confidence, never proof. */
    static final int DEFAULT_PORT = 7070;
    private static final Set<Transport> TRANSPORTS = Set.of(Transport.TCP);

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public Set<Transport> transports() {
        return TRANSPORTS;
    }

    /**
     * A complete, valid header line is near certain (0.9; 0.95 on the default port): "REQ " or "RES " followed
     * by well-formed numbers is unlikely in any other protocol. A line that starts right but is cut short by the
     * end of the bytes is only plausible (0.5; 0.6 on the port): the pipeline then offers more bytes. Anything
     * else is Inference.NO. Never throws: a verdict must not fail the pipeline.
     */
    @Override
    public Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        if (l4 != Transport.TCP) {
            return Inference.NO;
        }
        int from = firstBytes.position();
        int limit = firstBytes.limit();
        Origin sender = HeaderLine.magic(firstBytes, from, limit);
        if (sender == null) {
            return Inference.NO;
        }
        boolean onPort = srcPort == DEFAULT_PORT || dstPort == DEFAULT_PORT;
        int scanEnd = Math.min(limit, from + HeaderLine.MAX_LENGTH);
        int newline = -1;
        for (int i = from; i < scanEnd; i++) {
            if (firstBytes.get(i) == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            // No line end yet: plausible only while the line may still end within the longest header.
            return scanEnd == limit && limit - from < HeaderLine.MAX_LENGTH
                    ? Inference.of(onPort ? 0.6 : 0.5, sender) : Inference.NO;
        }
        byte[] line = new byte[newline - from];
        firstBytes.duplicate().position(from).get(line);
        HeaderLine header = new HeaderLine();
        if (header.parse(line, line.length) != null) {
            return Inference.NO;
        }
        return Inference.of(onPort ? 0.95 : 0.9, sender);
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new ${protocolName}Parser();
    }
}
