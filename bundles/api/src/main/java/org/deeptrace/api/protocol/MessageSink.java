package org.deeptrace.api.protocol;

import org.deeptrace.api.model.ParsedMessage;
import org.osgi.annotation.versioning.ProviderType;

/** Where a {@link ConnectionParser} puts what it finds. Implemented by the pipeline, called by parsers. */
@ProviderType
public interface MessageSink {

    /**
     * A complete message.
     *
     * @param origin the end that sent it
     * @param start stream offset of its first byte in {@code origin}'s byte stream
     * @param end stream offset just past its last byte
     */
    void message(Origin origin, ParsedMessage message, long start, long end);

    /**
     * Bytes the parser could not make sense of. The pipeline counts them, and re-infers the connection's
     * protocol after repeated errors. {@code reason} is a short constant phrase (it names a counter).
     */
    void malformed(Origin origin, String reason);

    /**
     * Bytes {@code [start, end)} sent by {@code origin} were not captured, and the parser was between two
     * messages when they went missing: they held one or more whole messages. The pipeline then stops waiting
     * for a response that was lost instead of pairing the next response with the wrong request.
     */
    default void lost(Origin origin, long start, long end) {
    }

    /**
     * The connection stopped speaking this parser's protocol (HTTP/1.1 {@code Upgrade} answered by
     * {@code 101 Switching Protocols}, a {@code CONNECT} tunnel, ...): the client's bytes from stream offset
     * {@code clientOffset} on, and the server's from {@code serverOffset} on, are another protocol. The pipeline
     * stops feeding this parser once the call it made this from returns, and hands the rest of both streams to the
     * parser whose {@link ProtocolParser#protocol()} is {@code protocol} (compared ignoring case), which sees them
     * as a connection of its own that starts there (its offsets count from 0 at the switch). When
     * {@code protocol} is null, or no such parser is installed or enabled, the protocol is inferred anew from the
     * bytes after the switch. Requests still waiting for their response keep waiting: the new protocol may answer
     * them (HTTP/2's stream 1 answers the request that asked for {@code Upgrade: h2c}).
     *
     * <p>Offsets are in this parser's own offsets, as in {@link #message}. Bytes after an offset that this parser
     * was already given are not given again: a parser reports the switch as soon as it knows both offsets.
     *
     * @param protocol the protocol name of the parser to continue with, or null to infer it
     * @param clientOffset first byte of the new protocol in the client's stream
     * @param serverOffset first byte of the new protocol in the server's stream
     * @since 1.2
     */
    default void protocolSwitched(String protocol, long clientOffset, long serverOffset) {
    }
}
