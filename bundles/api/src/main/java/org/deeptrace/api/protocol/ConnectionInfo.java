package org.deeptrace.api.protocol;

import org.deeptrace.api.model.Transport;

/**
 * The connection a {@link ConnectionParser} is opened for.
 *
 * @param client the client end's {@code ip:port}
 * @param server the server end's {@code ip:port}
 * @param tgid the traced process that owns the socket
 */
public record ConnectionInfo(Transport l4, String client, String server, int tgid, String comm) {
}
