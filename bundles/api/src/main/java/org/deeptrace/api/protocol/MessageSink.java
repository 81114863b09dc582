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
}
