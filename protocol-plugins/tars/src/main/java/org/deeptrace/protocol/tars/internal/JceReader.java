package org.deeptrace.protocol.tars.internal;

import java.nio.charset.StandardCharsets;

/**
 * A bounded reader of Tars's JCE encoding over a byte range. Every field starts with a head byte
 * {@code tag << 4 | type} (tag 15 means the tag follows in the next byte). Types: 0 byte, 1 short, 2 int, 3 long,
 * 4 float, 5 double, 6 string with a 1-byte length, 7 string with a 4-byte length, 8 map, 9 list, 10 struct begin,
 * 11 struct end, 12 zero (a number that is 0), 13 simple list (byte array). Lengths are checked against the range,
 * nesting is limited, nothing is allocated beyond the strings asked for.
 */
final class JceReader {
    static final int BYTE = 0;
    static final int SHORT = 1;
    static final int INT = 2;
    static final int LONG = 3;
    static final int FLOAT = 4;
    static final int DOUBLE = 5;
    static final int STRING1 = 6;
    static final int STRING4 = 7;
    static final int MAP = 8;
    static final int LIST = 9;
    static final int STRUCT_BEGIN = 10;
    static final int STRUCT_END = 11;
    static final int ZERO = 12;
    static final int SIMPLE_LIST = 13;

    private static final int MAX_DEPTH = 16;

    /** The bytes are not JCE (unknown type, negative size, nesting too deep, wrong type for a field). */
    static final class BadJce extends Exception {
        private static final long serialVersionUID = 1L;
        static final BadJce INSTANCE = new BadJce();

        private BadJce() {
            super("bad jce", null, false, false);
        }
    }

    /** A field runs past the end of the bytes at hand. */
    static final class Truncated extends Exception {
        private static final long serialVersionUID = 1L;
        static final Truncated INSTANCE = new Truncated();

        private Truncated() {
            super("truncated", null, false, false);
        }
    }

    private final byte[] bytes;
    private int pos;
    private final int limit;
    /** Tag and type of the last head read. */
    int tag;
    int type;

    JceReader(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.pos = from;
        this.limit = to;
    }

    boolean hasMore() {
        return pos < limit;
    }

    int position() {
        return pos;
    }

    void head() throws Truncated {
        int h = u8();
        type = h & 0x0F;
        tag = h >>> 4;
        if (tag == 15) {
            tag = u8();
        }
    }

    /** A number of any integer type (byte, short, int, long, zero). */
    long number() throws BadJce, Truncated {
        return switch (type) {
            case ZERO -> 0;
            case BYTE -> (byte) u8();
            case SHORT -> (short) (u8() << 8 | u8());
            case INT -> (int) fixed(4);
            case LONG -> fixed(8);
            default -> throw BadJce.INSTANCE;
        };
    }

    /** A string field, keeping at most {@code maxBytes} of it as UTF-8. */
    String string(int maxBytes) throws BadJce, Truncated {
        int length = stringLength();
        String s = new String(bytes, pos, Math.min(length, maxBytes), StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /** Skips the value of the field whose head was just read. */
    void skip() throws BadJce, Truncated {
        skip(type, 0);
    }

    /**
     * Reads a {@code map<string, string>} field, calling {@code entry} for each pair; values of other types are
     * skipped.
     */
    void stringMap(MapEntry entry, int maxBytes) throws BadJce, Truncated {
        if (type != MAP) {
            throw BadJce.INSTANCE;
        }
        long size = size();
        for (long i = 0; i < size; i++) {
            head();
            String key = type == STRING1 || type == STRING4 ? string(maxBytes) : null;
            if (key == null) {
                skip(type, 1);
            }
            head();
            String value = type == STRING1 || type == STRING4 ? string(maxBytes) : null;
            if (value == null) {
                skip(type, 1);
            }
            if (key != null && value != null) {
                entry.accept(key, value);
            }
        }
    }

    /** Receives the pairs of a string map. */
    interface MapEntry {
        void accept(String key, String value);
    }

    private void skip(int t, int depth) throws BadJce, Truncated {
        if (depth > MAX_DEPTH) {
            throw BadJce.INSTANCE;
        }
        switch (t) {
            case ZERO, STRUCT_END -> { }
            case BYTE -> advance(1);
            case SHORT -> advance(2);
            case INT, FLOAT -> advance(4);
            case LONG, DOUBLE -> advance(8);
            case STRING1, STRING4 -> advance(stringLength());
            case MAP, LIST -> {
                long elements = size() * (t == MAP ? 2 : 1);
                for (long i = 0; i < elements; i++) {
                    head();
                    skip(type, depth + 1);
                }
            }
            case STRUCT_BEGIN -> {
                while (true) {
                    head();
                    if (type == STRUCT_END) {
                        return;
                    }
                    skip(type, depth + 1);
                }
            }
            case SIMPLE_LIST -> {
                head(); // the element type: byte
                if (type != BYTE) {
                    throw BadJce.INSTANCE;
                }
                long length = size();
                advance(length);
            }
            default -> throw BadJce.INSTANCE;
        }
    }

    /** The element count of a map, list or simple list: an integer field of its own. */
    private long size() throws BadJce, Truncated {
        head();
        long size = number();
        if (size < 0) {
            throw BadJce.INSTANCE;
        }
        if (size > limit - pos) {
            throw Truncated.INSTANCE; // every element takes at least one byte
        }
        return size;
    }

    private int stringLength() throws BadJce, Truncated {
        long length;
        if (type == STRING1) {
            length = u8();
        } else if (type == STRING4) {
            length = fixed(4);
            if (length < 0) {
                throw BadJce.INSTANCE;
            }
        } else {
            throw BadJce.INSTANCE;
        }
        if (length > limit - pos) {
            throw Truncated.INSTANCE;
        }
        return (int) length;
    }

    private int u8() throws Truncated {
        if (pos >= limit) {
            throw Truncated.INSTANCE;
        }
        return bytes[pos++] & 0xFF;
    }

    private long fixed(int n) throws Truncated {
        if (n > limit - pos) {
            throw Truncated.INSTANCE;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (bytes[pos++] & 0xFF);
        }
        return n == 4 ? (int) v : v;
    }

    private void advance(long n) throws Truncated {
        if (n > limit - pos) {
            throw Truncated.INSTANCE;
        }
        pos += (int) n;
    }
}
