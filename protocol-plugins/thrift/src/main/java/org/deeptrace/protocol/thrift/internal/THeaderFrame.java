package org.deeptrace.protocol.thrift.internal;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The THeader transport's frame (Apache Thrift {@code doc/specs/HeaderFormat.md}, fbthrift's header transport):
 *
 * <pre>
 * LENGTH (int32: bytes after it) | 0x0FFF magic (u16) | FLAGS (u16) | SEQUENCE NUMBER (int32) |
 * HEADER SIZE (u16, in 4-byte words) | header: PROTOCOL ID (varint), NUM TRANSFORMS (varint), TRANSFORM IDs
 * (varints), info headers (type varint; KEY_VALUE 1 / persistent 2: count, then varint-prefixed key and value
 * strings), zero padding | PAYLOAD: the message in the protocol the id names (0 binary, 1 JSON, 2 compact)
 * </pre>
 *
 * The payload is read directly unless a transform was applied: a zlib payload is inflated as far as the bytes at
 * hand allow (a bounded prefix: enough for the message header and a reply's first field); any other transform,
 * or info headers larger than {@link #MAX_INFO}, leave the message {@link #opaque}: its method is reported unknown
 * rather than guessed, the frame length still delimits it. The info headers carrying a request id or a trace
 * context are kept.
 */
final class THeaderFrame {
    static final byte MAGIC_0 = 0x0f;
    static final byte MAGIC_1 = (byte) 0xff;
    /** Bytes from the frame length to the end of HEADER SIZE. */
    static final int FIXED = 14;
    /** The largest info-header block read; a larger one is skipped unread (the message is then opaque). */
    static final int MAX_INFO = 4096;
    /** The most bytes a THeader frame's header (with the inner message header, or a zlib window) can take. */
    static final int MAX_THEADER = FIXED + MAX_INFO + ThriftHeader.MAX_HEADER;
    /** How much of a zlib payload is inflated: the message header and what a reply's status needs. */
    static final int MAX_INFLATED = 1024;

    private static final int TRANSFORM_ZLIB = 1;
    private static final int INFO_KEY_VALUE = 1;
    private static final int INFO_PERSISTENT_KEY_VALUE = 2;
    private static final int MAX_TRANSFORMS = 8;

    int seqid;
    int protocolId;
    /** The message inside could not be read (a transform other than zlib, huge info headers, bad zlib data). */
    boolean opaque;
    /** A zlib payload's inflated prefix, {@code [0, inflatedLength)}; null when there was no transform. */
    byte[] inflated;
    int inflatedLength;
    /** Where the message body starts in {@link #inflated} (set once the message header inside was parsed). */
    int bodyFrom;
    /** After {@link ThriftHeader#NEED_MORE}: the bytes the frame's header could take at most. */
    int wanted = FIXED;
    /**
     * One inflater per parsing thread, reset for each payload: making one per connection costs a native zlib
     * state (about 40 KB) each time, more than parsing the whole connection. Its native memory is freed by the
     * Inflater's own cleaner once the thread is gone.
     */
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private byte[] inflateBuffer;

    // Info headers worth a record field.
    String xRequestId;
    String traceparent;
    String b3TraceId;
    String b3SpanId;
    String b3;
    String uberTraceId;
    String sw8;

    /** The encoding {@link #protocolId} names, or null for an id no Thrift implementation uses. */
    ThriftHeader.Encoding encoding() {
        return switch (protocolId) {
            case 0 -> ThriftHeader.Encoding.BINARY;
            case 1 -> ThriftHeader.Encoding.JSON;
            case 2 -> ThriftHeader.Encoding.COMPACT;
            default -> null;
        };
    }

    /**
     * Parses the frame at {@code b[from, from + count)} whose 4-byte length, {@code frame}, was checked already.
     *
     * @return the offset of the payload from {@code from} (for an opaque message: of the first byte not read),
     *     {@link ThriftHeader#NEED_MORE} or {@link ThriftHeader#INVALID}
     */
    int parse(byte[] b, int from, int count, long frame) {
        wanted = FIXED;
        inflated = null;
        inflatedLength = 0;
        bodyFrom = 0;
        opaque = false;
        if (count > 5 && b[from + 5] != MAGIC_1) {
            return ThriftHeader.INVALID;
        }
        if (count < FIXED) {
            return ThriftHeader.NEED_MORE;
        }
        // FLAGS (from + 6) say how replies may be ordered (out-of-order support): nothing a record shows.
        seqid = ThriftHeader.int32(b, from + 8);
        int words = u16(b, from + 12);
        long region = 4L * words;
        if (words >= 0x8000 || 10 + region > frame) {
            return ThriftHeader.INVALID; // the spec's top bit is 0; the header must fit in the frame
        }
        int end = from + count;
        int regionFrom = from + FIXED;
        int regionEnd = (int) Math.min(end, regionFrom + region);
        // The protocol id and the transforms come first: read them even from a block too large to buffer whole.
        int[] cursor = {regionFrom};
        long protocol = varint(b, cursor, regionEnd);
        long transforms = protocol < 0 ? -1 : varint(b, cursor, regionEnd);
        if (protocol == -2 || transforms == -2 || transforms > MAX_TRANSFORMS) {
            return ThriftHeader.INVALID;
        }
        if (protocol == -1 || transforms == -1) {
            return needRegion(count, region);
        }
        protocolId = (int) Math.min(protocol, Integer.MAX_VALUE);
        boolean zlib = false;
        opaque = false;
        for (int i = 0; i < transforms; i++) {
            long id = varint(b, cursor, regionEnd);
            if (id == -2) {
                return ThriftHeader.INVALID;
            }
            if (id == -1) {
                return needRegion(count, region);
            }
            if (id == TRANSFORM_ZLIB && transforms == 1) {
                zlib = true;
            } else {
                opaque = true; // snappy, zstd, hmac, zlib twice: not undone here
            }
        }
        if (region > MAX_INFO) {
            opaque = true;
            return Math.min(count, FIXED); // the frame length skips the rest
        }
        if (count < FIXED + region) {
            return needRegion(count, region);
        }
        if (!readInfo(b, cursor, regionFrom + (int) region)) {
            return ThriftHeader.INVALID;
        }
        int payload = FIXED + (int) region;
        if (zlib && !opaque) {
            int compressedEnd = (int) Math.min(end, from + 4 + frame);
            int result = inflate(b, from + payload, compressedEnd - (from + payload));
            if (result == ThriftHeader.NEED_MORE) {
                wanted = (int) Math.min(4 + frame, MAX_THEADER);
                if (count < wanted) {
                    return ThriftHeader.NEED_MORE;
                }
                // The window is full and still no message header came out: treat what came out as it is.
            }
        }
        return payload;
    }

    private int needRegion(int count, long region) {
        if (count >= FIXED + region) {
            return ThriftHeader.INVALID; // the whole block is there and a varint runs past its end
        }
        wanted = (int) Math.min(FIXED + region + ThriftHeader.MAX_HEADER, MAX_THEADER);
        return ThriftHeader.NEED_MORE;
    }

    /** Reads the info headers up to {@code regionEnd}; false when a string runs past the block. */
    private boolean readInfo(byte[] b, int[] cursor, int regionEnd) {
        xRequestId = null;
        traceparent = null;
        b3TraceId = null;
        b3SpanId = null;
        b3 = null;
        uberTraceId = null;
        sw8 = null;
        while (cursor[0] < regionEnd) {
            long type = varint(b, cursor, regionEnd);
            if (type < 0) {
                return false;
            }
            if (type != INFO_KEY_VALUE && type != INFO_PERSISTENT_KEY_VALUE) {
                return true; // padding (0) or a type we don't know: the rest of the block is skipped, as Thrift does
            }
            long pairs = varint(b, cursor, regionEnd);
            if (pairs < 0 || pairs > MAX_INFO) {
                return false;
            }
            for (long i = 0; i < pairs; i++) {
                long keyLength = varint(b, cursor, regionEnd);
                if (keyLength < 0 || keyLength > regionEnd - cursor[0]) {
                    return false;
                }
                int key = cursor[0];
                cursor[0] += (int) keyLength;
                long valueLength = varint(b, cursor, regionEnd);
                if (valueLength < 0 || valueLength > regionEnd - cursor[0]) {
                    return false;
                }
                keep(b, key, (int) keyLength, cursor[0], (int) valueLength);
                cursor[0] += (int) valueLength;
            }
        }
        return true;
    }

    private static final byte[][] KEPT = {"x-request-id".getBytes(StandardCharsets.US_ASCII),
        "traceparent".getBytes(StandardCharsets.US_ASCII), "x-b3-traceid".getBytes(StandardCharsets.US_ASCII),
        "x-b3-spanid".getBytes(StandardCharsets.US_ASCII), "b3".getBytes(StandardCharsets.US_ASCII),
        "uber-trace-id".getBytes(StandardCharsets.US_ASCII), "sw8".getBytes(StandardCharsets.US_ASCII)};

    /** Keeps the value of a header in {@link #KEPT} (names compared without case, no String for the others). */
    private void keep(byte[] b, int key, int keyLength, int value, int valueLength) {
        int which = -1;
        for (int i = 0; i < KEPT.length && which < 0; i++) {
            if (KEPT[i].length == keyLength && equalsIgnoreCase(KEPT[i], b, key)) {
                which = i;
            }
        }
        if (which < 0) {
            return;
        }
        String text = new String(b, value, valueLength, StandardCharsets.UTF_8);
        switch (which) {
            case 0 -> xRequestId = text;
            case 1 -> traceparent = text;
            case 2 -> b3TraceId = text;
            case 3 -> b3SpanId = text;
            case 4 -> b3 = text;
            case 5 -> uberTraceId = text;
            default -> sw8 = text;
        }
    }

    private static boolean equalsIgnoreCase(byte[] lower, byte[] b, int at) {
        for (int i = 0; i < lower.length; i++) {
            int c = b[at + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** Inflates a prefix of a zlib payload; NEED_MORE when more compressed bytes would give more output. */
    private int inflate(byte[] b, int from, int length) {
        if (inflateBuffer == null) {
            inflateBuffer = new byte[MAX_INFLATED];
        }
        Inflater inflater = INFLATER.get();
        inflater.reset();
        try {
            inflater.setInput(b, from, Math.max(0, length));
            byte[] out = inflateBuffer;
            int n = 0;
            while (n < out.length && !inflater.finished() && !inflater.needsInput() && !inflater.needsDictionary()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0) {
                    break; // no progress: input or a dictionary needed, or nothing more to give
                }
                n += got;
            }
            inflated = out;
            inflatedLength = n;
            return n < ThriftHeader.MAX_HEADER && !inflater.finished() && inflater.needsInput()
                    ? ThriftHeader.NEED_MORE : n;
        } catch (DataFormatException e) {
            opaque = true; // not zlib data after all: the method is unknown
            inflated = null;
            return 0;
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** A varint at {@code cursor[0]} (advanced past it): -1 when cut by {@code end}, -2 when longer than 5 bytes. */
    private static long varint(byte[] b, int[] cursor, int end) {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (cursor[0] >= end) {
                return -1;
            }
            int x = b[cursor[0]++] & 0xff;
            value |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
        return -2;
    }
}
