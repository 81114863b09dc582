package org.deeptrace.capture.pcap.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A buffered input stream that knows its position and reads little- or big-endian integers from byte arrays. */
final class ByteSource {
    private final InputStream in;
    private long position;
    private byte[] peeked = new byte[0];

    ByteSource(InputStream in) {
        this.in = in;
    }

    long position() {
        return position;
    }

    /** Up to {@code n} bytes without consuming them (fewer at the end of the stream). */
    byte[] peek(int n) throws IOException {
        if (peeked.length < n) {
            byte[] more = in.readNBytes(n - peeked.length);
            byte[] joined = new byte[peeked.length + more.length];
            System.arraycopy(peeked, 0, joined, 0, peeked.length);
            System.arraycopy(more, 0, joined, peeked.length, more.length);
            peeked = joined;
        }
        return java.util.Arrays.copyOf(peeked, Math.min(n, peeked.length));
    }

    /**
     * Reads exactly {@code n} bytes into {@code into[0, n)}.
     *
     * @return false at a clean end of stream (no byte read); throws {@link EOFException} when it ends mid-way
     */
    boolean readFully(byte[] into, int n) throws IOException {
        int done = 0;
        if (peeked.length > 0) {
            int take = Math.min(n, peeked.length);
            System.arraycopy(peeked, 0, into, 0, take);
            peeked = java.util.Arrays.copyOfRange(peeked, take, peeked.length);
            done = take;
        }
        while (done < n) {
            int r = in.read(into, done, n - done);
            if (r < 0) {
                if (done == 0) {
                    return false;
                }
                position += done;
                throw new EOFException("file ends inside a record (" + done + " of " + n + " bytes)");
            }
            done += r;
        }
        position += n;
        return true;
    }

    /** Reads exactly {@code n} bytes into {@code into[0, n)}; {@link EOFException} when the stream ends first. */
    void readExactly(byte[] into, int n) throws IOException {
        if (n > 0 && !readFully(into, n)) {
            throw new EOFException("file ends inside a record (0 of " + n + " bytes)");
        }
    }

    /** Skips exactly {@code n} bytes, throwing {@link EOFException} when the stream ends first. */
    void skipFully(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
        long left = n;
        while (left > 0) {
            int step = (int) Math.min(left, scratch.length);
            if (!readFully(scratch, step)) {
                throw new EOFException("file ends inside a record");
            }
            left -= step;
        }
    }

    static int u16(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff) : ((b[i + 1] & 0xff) << 8) | (b[i] & 0xff);
    }

    static long u32(byte[] b, int i, boolean bigEndian) {
        long v = bigEndian
                ? ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xffL) << 16) | ((b[i + 2] & 0xffL) << 8) | (b[i + 3] & 0xffL)
                : ((b[i + 3] & 0xffL) << 24) | ((b[i + 2] & 0xffL) << 16) | ((b[i + 1] & 0xffL) << 8) | (b[i] & 0xffL);
        return v;
    }
}
