package org.deeptrace.protocol.brpc.internal;

import java.nio.ByteBuffer;

/** The fixed 12-byte baidu_std header: {@code "PRPC"}, body size and meta size (big-endian uint32). */
final class BrpcHeader {
    static final int SIZE = 12;
    /**
     * Largest body accepted. brpc's own default limit ({@code max_body_size}) is 64 MiB; a larger size is
     * still possible when raised by the operator, so the bound is generous: it only has to stop garbage.
     */
    static final long MAX_BODY = 1L << 30;

    private BrpcHeader() {
    }

    static boolean isMagic(ByteBuffer b, int i) {
        return b.get(i) == 'P' && b.get(i + 1) == 'R' && b.get(i + 2) == 'P' && b.get(i + 3) == 'C';
    }

    static boolean isMagic(byte[] b, int i) {
        return b[i] == 'P' && b[i + 1] == 'R' && b[i + 2] == 'P' && b[i + 3] == 'C';
    }

    /** Every message carries a meta, and the meta is part of the body. */
    static boolean plausible(long bodySize, long metaSize) {
        return metaSize > 0 && metaSize <= bodySize && bodySize <= MAX_BODY;
    }

    static long uint32(ByteBuffer b, int i) {
        return ((b.get(i) & 0xFFL) << 24) | ((b.get(i + 1) & 0xFFL) << 16) | ((b.get(i + 2) & 0xFFL) << 8)
                | (b.get(i + 3) & 0xFFL);
    }

    static long uint32(byte[] b, int i) {
        return ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFFL) << 16) | ((b[i + 2] & 0xFFL) << 8) | (b[i + 3] & 0xFFL);
    }
}
