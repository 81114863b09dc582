package org.deeptrace.protocol.tars.internal;

import java.nio.ByteBuffer;

/** A Tars packet's frame: a big-endian 4-byte length that counts itself, then the JCE struct. */
final class TarsFrame {
    static final int LENGTH_SIZE = 4;
    /** The smallest packet: length, iVersion and cPacketType heads and values, plus one more field. */
    static final int MIN_PACKET = LENGTH_SIZE + 4;
    /**
     * The largest packet accepted. TarsJava refuses more than 10 MiB, TarsCpp's default limit is 10 MiB too and can
     * be raised; 100 MiB only has to stop garbage.
     */
    static final long MAX_PACKET = 100L << 20;

    private TarsFrame() {
    }

    static long uint32(ByteBuffer b, int i) {
        return ((b.get(i) & 0xFFL) << 24) | ((b.get(i + 1) & 0xFFL) << 16) | ((b.get(i + 2) & 0xFFL) << 8)
                | (b.get(i + 3) & 0xFFL);
    }

    static boolean plausibleLength(long length) {
        return length >= MIN_PACKET && length <= MAX_PACKET;
    }

    /**
     * Whether the bytes at {@code i} (just after the length) start like a packet: field 1 {@code iVersion} 1-3 as a
     * byte or short, then field 2 {@code cPacketType} 0 or 1 as a zero or a byte. Needs 4 bytes; with fewer
     * available it judges what is there.
     */
    static boolean plausibleStart(ByteBuffer b, int i, int limit) {
        if (i >= limit) {
            return true;
        }
        int head = b.get(i) & 0xFF;
        int next;
        if (head == 0x10) { // tag 1, byte
            if (i + 1 >= limit) {
                return true;
            }
            int version = b.get(i + 1);
            if (version < 1 || version > 3) {
                return false;
            }
            next = i + 2;
        } else if (head == 0x11) { // tag 1, short
            if (i + 2 >= limit) {
                return true;
            }
            int version = b.get(i + 1) << 8 | (b.get(i + 2) & 0xFF);
            if (version < 1 || version > 3) {
                return false;
            }
            next = i + 3;
        } else {
            return false;
        }
        if (next >= limit) {
            return true;
        }
        int typeHead = b.get(next) & 0xFF;
        if (typeHead == 0x2C) { // tag 2, zero: a normal call
            return true;
        }
        if (typeHead != 0x20) { // tag 2, byte
            return false;
        }
        return next + 1 >= limit || b.get(next + 1) == 0 || b.get(next + 1) == 1;
    }
}
