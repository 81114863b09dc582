package org.deeptrace.api.protocol;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.Transport;

/**
 * A protocol plugin's entry point, registered as an OSGi service. The pipeline offers the first bytes of every
 * new connection to all registered parsers, opens a {@link ConnectionParser} of the most confident one, and
 * forgets a parser's connections when its service goes away.
 */
public interface ProtocolParser {

    /** The protocol name written in the records, e.g. {@code HTTP1} (contract section 2). */
    String protocol();

    /** The transports this protocol runs over. */
    Set<Transport> transports();

    /**
     * Looks at the first captured bytes one end of a connection sent (at least one chunk; more when earlier
     * verdicts were uncertain) and says how likely they are this protocol, and whether they are requests
     * or responses. Must be fast and must not throw; the buffer's position is irrelevant to the caller.
     *
     * @param srcPort port of the end that sent the bytes
     * @param dstPort port of the end that received them (a well-known port is a hint, never proof)
     */
    Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort);

    /** Opens the per-connection state. */
    ConnectionParser open(ConnectionInfo connection);
}
