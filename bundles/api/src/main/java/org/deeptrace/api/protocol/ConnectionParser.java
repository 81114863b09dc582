package org.deeptrace.api.protocol;

import java.nio.ByteBuffer;

/**
 * Splits the two byte streams of one connection into messages, incrementally.
 *
 * <p>The pipeline calls it from one thread at a time, in stream order per origin. Each stream is a sequence
 * of chunks (one per syscall, usually) and gaps (bytes transferred but not captured: truncated payloads,
 * lost records). Offsets count every byte of a stream, captured or not, from 0 at the first byte seen.
 * A parser must never throw on bad bytes: it reports them with {@link MessageSink#malformed} and resynchronises,
 * for example at the start of a later chunk.
 */
public interface ConnectionParser {

    /**
     * Captured bytes sent by {@code origin}.
     *
     * @param offset stream offset of the chunk's first byte
     * @param chunk the bytes; only valid during the call (copy what must be kept)
     */
    void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out);

    /**
     * {@code length} bytes sent by {@code origin} at {@code offset} were not captured. A length of
     * {@code -1} means the amount is unknown (the stream lost sync).
     */
    void onGap(Origin origin, long offset, long length, MessageSink out);

    /** The connection ended (or the capture did): emit what can still be completed. */
    default void onClose(MessageSink out) {
    }
}
