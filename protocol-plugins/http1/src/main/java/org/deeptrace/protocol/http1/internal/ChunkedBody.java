package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;

/**
 * Follows the framing of a chunked body ({@code size[;ext] CRLF data CRLF ... 0 CRLF trailers CRLF}) across
 * chunks without buffering: chunk data is skipped by count, framing lines are checked byte by byte.
 */
final class ChunkedBody {

    /** Chunk-size lines longer than this (extensions included) are not HTTP. */
    static final int MAX_SIZE_LINE = 4096;
    /** Chunk sizes beyond 2^60 would overflow the offsets; 15 hex digits is plenty. */
    private static final int MAX_SIZE_DIGITS = 15;

    private static final int SIZE = 0;
    private static final int SIZE_EXTENSION = 1;
    private static final int SIZE_LF = 2;
    private static final int DATA = 3;
    private static final int DATA_CR = 4;
    private static final int DATA_LF = 5;
    private static final int TRAILER = 6;
    private static final int DONE = 7;
    private static final int FAILED = 8;

    private final int maxTrailerBytes;
    private int state;
    private long chunkRemaining;
    private int digits;
    private int lineBytes;
    private int trailerBytes;
    private String error;

    ChunkedBody(int maxTrailerBytes) {
        this.maxTrailerBytes = maxTrailerBytes;
    }

    void reset() {
        state = SIZE;
        chunkRemaining = 0;
        digits = 0;
        lineBytes = 0;
        trailerBytes = 0;
        error = null;
    }

    /** The last chunk and the trailer section have been read. */
    boolean done() {
        return state == DONE;
    }

    /** Why the framing is broken (a constant phrase), or {@code null}. */
    String error() {
        return error;
    }

    /**
     * Reads body bytes from {@code b[from, to)}, stopping at the end of the body or at the first framing error.
     *
     * @return the index after the last byte that belongs to the body
     */
    int consume(ByteBuffer b, int from, int to) {
        int i = from;
        while (i < to && state != DONE && state != FAILED) {
            if (state == DATA) {
                int n = (int) Math.min(chunkRemaining, to - i);
                i += n;
                chunkRemaining -= n;
                if (chunkRemaining == 0) {
                    state = DATA_CR;
                }
                continue;
            }
            step(b.get(i++));
        }
        return i;
    }

    /**
     * Accounts for {@code length} uncaptured bytes. Only bytes inside chunk data can be skipped safely.
     *
     * @return false when the gap covers framing: the body's end can no longer be found
     */
    boolean skip(long length) {
        if (state != DATA || length > chunkRemaining) {
            return false;
        }
        chunkRemaining -= length;
        if (chunkRemaining == 0) {
            state = DATA_CR;
        }
        return true;
    }

    private void step(byte c) {
        switch (state) {
            case SIZE -> {
                int v = Ascii.hexValue(c);
                if (v >= 0) {
                    if (++digits > MAX_SIZE_DIGITS) {
                        fail("invalid chunk size");
                        return;
                    }
                    chunkRemaining = chunkRemaining << 4 | v;
                    lineBytes++;
                } else if (digits > 0 && (c == ';' || Ascii.isWhitespace(c))) {
                    state = SIZE_EXTENSION;
                    lineBytes++;
                } else if (digits > 0 && c == Ascii.CR) {
                    state = SIZE_LF;
                } else if (digits > 0 && c == Ascii.LF) {
                    endOfSizeLine();
                } else {
                    fail("invalid chunk size");
                }
            }
            case SIZE_EXTENSION -> {
                if (c == Ascii.CR) {
                    state = SIZE_LF;
                } else if (c == Ascii.LF) {
                    endOfSizeLine();
                } else if (++lineBytes > MAX_SIZE_LINE) {
                    fail("invalid chunk size");
                }
            }
            case SIZE_LF -> {
                if (c == Ascii.LF) {
                    endOfSizeLine();
                } else {
                    fail("invalid chunk size");
                }
            }
            case DATA_CR -> {
                if (c == Ascii.CR) {
                    state = DATA_LF;
                } else if (c == Ascii.LF) {
                    nextSizeLine();
                } else {
                    fail("invalid chunk terminator");
                }
            }
            case DATA_LF -> {
                if (c == Ascii.LF) {
                    nextSizeLine();
                } else {
                    fail("invalid chunk terminator");
                }
            }
            case TRAILER -> {
                if (++trailerBytes > maxTrailerBytes) {
                    fail("trailer section too large");
                } else if (c == Ascii.LF) {
                    if (lineBytes == 0) {
                        state = DONE;
                    }
                    lineBytes = 0;
                } else if (c != Ascii.CR) {
                    lineBytes++;
                }
            }
            default -> fail("invalid chunk size");
        }
    }

    private void endOfSizeLine() {
        lineBytes = 0;
        state = chunkRemaining == 0 ? TRAILER : DATA;
    }

    private void nextSizeLine() {
        state = SIZE;
        digits = 0;
        lineBytes = 0;
        chunkRemaining = 0;
    }

    private void fail(String reason) {
        state = FAILED;
        error = reason;
    }
}
