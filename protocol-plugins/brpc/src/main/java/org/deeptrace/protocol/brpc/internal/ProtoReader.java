package org.deeptrace.protocol.brpc.internal;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format reader over a byte range, bounded in every direction: varints of at most 10
 * bytes, lengths checked against the range, no recursion of its own. It decodes only what {@link RpcMeta} needs.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** The bytes are not protobuf (bad wire type, overlong varint). */
    static final class BadProtobuf extends Exception {
        private static final long serialVersionUID = 1L;

        BadProtobuf(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The message is cut short: a field runs past the end of the available bytes. */
    static final class Truncated extends Exception {
        private static final long serialVersionUID = 1L;
        static final Truncated INSTANCE = new Truncated();

        private Truncated() {
            super("truncated", null, false, false);
        }
    }

    private static final BadProtobuf BAD_WIRE_TYPE = new BadProtobuf("bad wire type");
    private static final BadProtobuf BAD_VARINT = new BadProtobuf("varint longer than 10 bytes");
    private static final BadProtobuf BAD_FIELD = new BadProtobuf("field number 0");

    private final byte[] bytes;
    private int pos;
    private final int limit;

    ProtoReader(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.pos = from;
        this.limit = to;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Reads a tag; returns {@code field << 3 | wireType}. */
    int tag() throws BadProtobuf, Truncated {
        long tag = varint();
        if (tag >>> 3 == 0 || tag > 0xFFFF_FFFFL) {
            throw BAD_FIELD;
        }
        return (int) tag;
    }

    long varint() throws BadProtobuf, Truncated {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= limit) {
                throw Truncated.INSTANCE;
            }
            byte b = bytes[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw BAD_VARINT;
    }

    /** Reads a length-delimited field's length and returns a reader over its bytes, advancing past them. */
    ProtoReader nested() throws BadProtobuf, Truncated {
        int length = length();
        ProtoReader r = new ProtoReader(bytes, pos, pos + length);
        pos += length;
        return r;
    }

    /** Reads a length-delimited field as UTF-8, keeping at most {@code maxBytes} of it. */
    String string(int maxBytes) throws BadProtobuf, Truncated {
        int length = length();
        String s = new String(bytes, pos, Math.min(length, maxBytes), StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /** A reader over the same remaining bytes, for a second reading. */
    ProtoReader copy() {
        return new ProtoReader(bytes, pos, limit);
    }

    /** The remaining bytes, at most {@code max} of them (the reader does not move). */
    byte[] remaining(int max) {
        return java.util.Arrays.copyOfRange(bytes, pos, pos + Math.min(max, limit - pos));
    }

    void skip(int wireType) throws BadProtobuf, Truncated {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw BAD_WIRE_TYPE; // groups (3, 4) are not used by RpcMeta; 6 and 7 do not exist
        }
    }

    private int length() throws BadProtobuf, Truncated {
        long length = varint();
        if (length < 0 || length > limit - pos) {
            throw Truncated.INSTANCE;
        }
        return (int) length;
    }

    private void advance(int n) throws Truncated {
        if (n > limit - pos) {
            throw Truncated.INSTANCE;
        }
        pos += n;
    }
}
