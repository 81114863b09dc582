package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects the bytes of one message head across chunks, up to a fixed limit. Starts small and grows on demand,
 * so idle connections cost little.
 */
final class HeadBuffer {

    private static final int INITIAL = 512;

    private final int max;
    private byte[] bytes = new byte[INITIAL];
    private int length;

    HeadBuffer(int max) {
        this.max = max;
    }

    int length() {
        return length;
    }

    /** Room left before the limit. */
    int room() {
        return max - length;
    }

    byte[] array() {
        return bytes;
    }

    /** Copies {@code b[from, from + count)}; the caller keeps within {@link #room()}. */
    void append(ByteBuffer b, int from, int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(max, Math.max(bytes.length * 2, length + count)));
        }
        b.get(from, bytes, length, count);
        length += count;
    }

    /** Empties the buffer, and gives back memory a huge head made it take. */
    void clear() {
        length = 0;
        if (bytes.length > 8 * INITIAL) {
            bytes = new byte[INITIAL];
        }
    }
}
