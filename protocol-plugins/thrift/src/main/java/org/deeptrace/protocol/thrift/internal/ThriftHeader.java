package org.deeptrace.protocol.thrift.internal;

import java.nio.charset.StandardCharsets;

/**
 * The header every Thrift message starts with (method name, message type, seqid), in its three encodings, with
 * or without the 4-byte frame length of the framed transport in front. Used by inference and by the parser, so
 * both accept exactly the same bytes.
 */
final class ThriftHeader {
    /** Message types as on the wire. */
    static final int CALL = 1;
    static final int REPLY = 2;
    static final int EXCEPTION = 3;
    static final int ONEWAY = 4;

    /** Longest method name accepted: real names are identifiers, optionally prefixed {@code Service:}. */
    static final int MAX_NAME = 256;
    /** Largest frame accepted (Thrift's own default limit is 16 MiB; servers may raise it). */
    static final long MAX_FRAME = 256L << 20;
    /** Bytes a complete header can take at most: frame length, compact varints, name. */
    static final int MAX_HEADER = 4 + 2 + 5 + 5 + MAX_NAME;

    /** Result of {@link #parse}: more bytes are needed, and the ones seen so far fit a header. */
    static final int NEED_MORE = 0;
    /** Result of {@link #parse}: not a Thrift message header. */
    static final int INVALID = -1;

    enum Encoding {
        BINARY("binary"), BINARY_OLD("binary-old"), COMPACT("compact");

        final String label;
        /** The record's {@code version}: encoding and transport. */
        final String framedVersion;
        final String bufferedVersion;

        Encoding(String label) {
            this.label = label;
            this.framedVersion = label + "/framed";
            this.bufferedVersion = label + "/buffered";
        }
    }

    // Filled by a successful parse.
    Encoding encoding;
    boolean framed;
    /** Bytes after the 4-byte length of a framed message; -1 when unframed. */
    long frameLength = -1;
    int type;
    String name;
    int seqid;
    /** Bytes of the header, frame length included. */
    int length;

    /**
     * Parses a header at {@code b[from, from + count)}, framed or not (the frame length is recognised by what
     * follows it: a valid unframed header never starts with a plausible frame length followed by a valid header).
     *
     * @return the header's length in bytes, {@link #NEED_MORE} or {@link #INVALID}
     */
    int parse(byte[] b, int from, int count) {
        int unframed = parseUnframed(b, from, count);
        if (unframed > 0) {
            framed = false;
            frameLength = -1;
            return length = unframed;
        }
        int asFrame = parseFramed(b, from, count);
        if (asFrame > 0) {
            return length = asFrame;
        }
        return unframed == NEED_MORE || asFrame == NEED_MORE ? NEED_MORE : INVALID;
    }

    private int parseFramed(byte[] b, int from, int count) {
        if (count < 4) {
            return b.length > 0 && count > 0 && (b[from] & 0xff) > (MAX_FRAME >>> 24) ? INVALID : NEED_MORE;
        }
        long frame = int32(b, from) & 0xffffffffL;
        if (frame < 3 || frame > MAX_FRAME) {
            return INVALID;
        }
        int inner = parseUnframed(b, from + 4, count - 4);
        if (inner <= 0) {
            return inner;
        }
        if (inner > frame) {
            return INVALID; // the header does not fit in its frame
        }
        framed = true;
        frameLength = frame;
        return inner + 4;
    }

    private int parseUnframed(byte[] b, int from, int count) {
        if (count < 1) {
            return NEED_MORE;
        }
        int first = b[from] & 0xff;
        if (first == 0x80) {
            return parseStrict(b, from, count);
        }
        if (first == 0x82) {
            return parseCompact(b, from, count);
        }
        if (first == 0) {
            return parseOld(b, from, count);
        }
        return INVALID;
    }

    /** {@code 0x80 0x01 0x00 type}, name length (int32), name, seqid (int32). */
    private int parseStrict(byte[] b, int from, int count) {
        for (int i = 1; i < Math.min(count, 4); i++) {
            int v = b[from + i] & 0xff;
            if (i == 1 && v != 0x01 || i == 2 && v != 0 || i == 3 && (v < CALL || v > ONEWAY)) {
                return INVALID;
            }
        }
        if (count < 8) {
            return NEED_MORE;
        }
        int nameLength = int32(b, from + 4);
        int name = checkName(b, from + 8, count - 8, nameLength);
        if (name <= 0) {
            return name;
        }
        if (count < 12 + nameLength) {
            return NEED_MORE;
        }
        set(Encoding.BINARY, b[from + 3], b, from + 8, nameLength, int32(b, from + 8 + nameLength));
        return 12 + nameLength;
    }

    /** The old non-strict binary header: name length (int32), name, type (byte), seqid (int32). */
    private int parseOld(byte[] b, int from, int count) {
        if (count < 4) {
            for (int i = 1; i < Math.min(count, 3); i++) {
                if (b[from + i] != 0 && !(i == 2 && b[from + i] == 1)) {
                    return INVALID;
                }
            }
            return NEED_MORE;
        }
        int nameLength = int32(b, from);
        int name = checkName(b, from + 4, count - 4, nameLength);
        if (name <= 0) {
            return name;
        }
        if (count < 5 + nameLength) {
            return NEED_MORE;
        }
        int type = b[from + 4 + nameLength];
        if (type < CALL || type > ONEWAY) {
            return INVALID;
        }
        if (count < 9 + nameLength) {
            return NEED_MORE;
        }
        set(Encoding.BINARY_OLD, type, b, from + 4, nameLength, int32(b, from + 5 + nameLength));
        return 9 + nameLength;
    }

    /** {@code 0x82}, {@code type << 5 | version 1}, seqid (varint), name length (varint), name. */
    private int parseCompact(byte[] b, int from, int count) {
        if (count < 2) {
            return NEED_MORE;
        }
        int typeAndVersion = b[from + 1] & 0xff;
        int type = typeAndVersion >>> 5;
        if ((typeAndVersion & 0x1f) != 1 || type < CALL || type > ONEWAY) {
            return INVALID;
        }
        int at = from + 2;
        int end = from + count;
        long seqid = 0;
        int shift = 0;
        while (true) {
            if (at >= end) {
                return NEED_MORE;
            }
            int x = b[at++] & 0xff;
            seqid |= (long) (x & 0x7f) << shift;
            shift += 7;
            if ((x & 0x80) == 0) {
                break;
            }
            if (shift >= 35) {
                return INVALID;
            }
        }
        int nameLength = 0;
        shift = 0;
        while (true) {
            if (at >= end) {
                return NEED_MORE;
            }
            int x = b[at++] & 0xff;
            nameLength |= (x & 0x7f) << shift;
            shift += 7;
            if ((x & 0x80) == 0) {
                break;
            }
            if (shift >= 14) {
                return INVALID; // longer than any name we accept
            }
        }
        int name = checkName(b, at, end - at, nameLength);
        if (name <= 0) {
            return name;
        }
        set(Encoding.COMPACT, type, b, at, nameLength, (int) seqid);
        return at + nameLength - from;
    }

    /** 1 when the whole name is there and printable, {@link #NEED_MORE} when what is there is printable. */
    private static int checkName(byte[] b, int from, int count, int nameLength) {
        if (nameLength < 1 || nameLength > MAX_NAME) {
            return INVALID;
        }
        int seen = Math.min(count, nameLength);
        for (int i = 0; i < seen; i++) {
            int c = b[from + i] & 0xff;
            if (c <= 0x20 || c >= 0x7f) {
                return INVALID;
            }
        }
        return seen == nameLength ? 1 : NEED_MORE;
    }

    private void set(Encoding encoding, int type, byte[] b, int nameFrom, int nameLength, int seqid) {
        this.encoding = encoding;
        this.type = type;
        this.name = new String(b, nameFrom, nameLength, StandardCharsets.US_ASCII);
        this.seqid = seqid;
    }

    static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    static String typeName(int type) {
        return switch (type) {
            case CALL -> "CALL";
            case REPLY -> "REPLY";
            case EXCEPTION -> "EXCEPTION";
            case ONEWAY -> "ONEWAY";
            default -> "UNKNOWN";
        };
    }
}
