package org.deeptrace.protocol.thrift.internal;

import java.nio.charset.StandardCharsets;

/**
 * The header every Thrift message starts with (method name, message type, seqid), in its four encodings (binary
 * strict and old, compact, JSON), unframed, framed (4-byte frame length in front) or inside a THeader frame
 * (frame length, magic 0x0FFF, flags, seq id, info headers, then the message; see {@link THeaderFrame}). Used
 * by inference and by the parser, so both accept exactly the same bytes.
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
    /** Bytes a complete header can take at most: frame length, JSON syntax and seqid digits (the most), name. */
    static final int MAX_HEADER = 4 + 24 + MAX_NAME;

    /** Result of {@link #parse}: more bytes are needed, and the ones seen so far fit a header. */
    static final int NEED_MORE = 0;
    /** Result of {@link #parse}: not a Thrift message header. */
    static final int INVALID = -1;

    enum Encoding {
        BINARY("binary", 0), BINARY_OLD("binary-old", 0), COMPACT("compact", 2), JSON("json", 1);

        final String label;
        /** The THeader protocol id of this encoding. */
        final int headerProtocol;
        /** The record's {@code version}: encoding and transport. */
        final String framedVersion;
        final String bufferedVersion;
        final String headerVersion;

        Encoding(String label, int headerProtocol) {
            this.label = label;
            this.headerProtocol = headerProtocol;
            this.framedVersion = label + "/framed";
            this.bufferedVersion = label + "/buffered";
            this.headerVersion = label + "/header";
        }
    }

    // Filled by a successful parse.
    Encoding encoding;
    /** The frame length delimits the message (the framed transport, or THeader). */
    boolean framed;
    /** Bytes after the 4-byte length of a framed message; -1 when unframed. */
    long frameLength = -1;
    int type;
    String name;
    int seqid;
    /** Bytes of the header, frame length included (THeader: up to the end of the inner message's header, or of
     * the info headers when the message is {@link THeaderFrame#opaque}). */
    int length;
    /** The THeader frame around the message; null for the plain transports. */
    THeaderFrame theader;
    /** Parses THeader frames; made by the first one and reused ({@link #theader} is it, after a THeader parse). */
    private THeaderFrame frameParser;
    /** After {@link #NEED_MORE}: how many bytes the header could take at most (more than MAX_HEADER for THeader). */
    int wanted = MAX_HEADER;

    /**
     * Parses a header at {@code b[from, from + count)}, framed or not (the frame length is recognised by what
     * follows it: a valid unframed header never starts with a plausible frame length followed by a valid header).
     *
     * @return the header's length in bytes, {@link #NEED_MORE} or {@link #INVALID}
     */
    int parse(byte[] b, int from, int count) {
        wanted = MAX_HEADER;
        theader = null;
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
        if (count > 4 && b[from + 4] == THeaderFrame.MAGIC_0) {
            return parseTHeader(b, from, count, frame);
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

    /** A THeader frame: its fixed part and info headers, then the message inside (unless it is opaque). */
    private int parseTHeader(byte[] b, int from, int count, long frame) {
        if (frameParser == null) {
            frameParser = new THeaderFrame();
        }
        THeaderFrame h = frameParser;
        int payload = h.parse(b, from, count, frame);
        if (payload <= 0) {
            wanted = Math.max(MAX_HEADER, h.wanted);
            return payload;
        }
        Encoding expected = h.encoding();
        if (expected == null) {
            return INVALID; // a protocol id no Thrift implementation uses
        }
        if (h.opaque) {
            return opaque(h, expected, frame, payload);
        }
        byte[] inner = h.inflated != null ? h.inflated : b;
        int innerFrom = h.inflated != null ? 0 : from + payload;
        int innerCount = h.inflated != null ? h.inflatedLength : count - payload;
        int innerLength = parseUnframed(inner, innerFrom, innerCount);
        if (innerLength == NEED_MORE && h.inflated == null && payload + MAX_HEADER > count) {
            wanted = Math.min(payload + MAX_HEADER, 4 + (int) Math.min(frame, Integer.MAX_VALUE));
            if (count < wanted) {
                return NEED_MORE;
            }
            return INVALID; // the frame ended inside the message header
        }
        if (innerLength <= 0 || encoding.headerProtocol != h.protocolId) {
            if (h.inflated != null) {
                h.opaque = true; // inflated bytes that are not a message: report the method unknown, not guessed
                return opaque(h, expected, frame, payload);
            }
            return INVALID;
        }
        if (h.inflated != null) {
            h.bodyFrom = innerLength; // the inflated bytes after the message header go to the body walker
            return finishTHeader(h, frame, payload);
        }
        if (payload + innerLength > 4 + frame) {
            return INVALID;
        }
        return finishTHeader(h, frame, payload + innerLength);
    }

    /** A THeader message whose method and type are unknown: the frame's seq id stands for the seqid. */
    private int opaque(THeaderFrame h, Encoding expected, long frame, int headerLength) {
        encoding = expected;
        type = 0;
        name = null;
        seqid = h.seqid;
        return finishTHeader(h, frame, headerLength);
    }

    private int finishTHeader(THeaderFrame h, long frame, int headerLength) {
        theader = h;
        framed = true;
        frameLength = frame;
        return headerLength;
    }

    private int parseUnframed(byte[] b, int from, int count) {
        if (count < 1) {
            return NEED_MORE;
        }
        int first = b[from] & 0xff;
        if (first == '[') {
            return parseJson(b, from, count);
        }
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

    /**
     * TJSONProtocol: {@code [1,"name",type,seqid,} exactly (Thrift's JSON writers put no whitespace in, and its
     * readers accept none); the message's struct and the closing {@code ]} follow.
     */
    private int parseJson(byte[] b, int from, int count) {
        int at = from;
        int end = from + count;
        for (byte c : JSON_START) {
            if (at == end) {
                return NEED_MORE;
            }
            if (b[at++] != c) {
                return INVALID;
            }
        }
        int nameFrom = at;
        while (true) {
            if (at == end) {
                return at - nameFrom > MAX_NAME ? INVALID : NEED_MORE;
            }
            int c = b[at] & 0xff;
            if (c == '"') {
                break;
            }
            if (c <= 0x20 || c >= 0x7f || c == '\\' || at - nameFrom >= MAX_NAME) {
                return INVALID; // names are identifiers: an escape or a long name is not one
            }
            at++;
        }
        int nameLength = at - nameFrom;
        if (nameLength == 0) {
            return INVALID;
        }
        at++; // the closing quote
        if (end - at < 4) {
            return jsonPrefixOk(b, at, end) ? NEED_MORE : INVALID;
        }
        int t = b[at + 1] - '0';
        if (b[at] != ',' || t < CALL || t > ONEWAY || b[at + 2] != ',') {
            return INVALID;
        }
        at += 3;
        boolean negative = b[at] == '-';
        if (negative) {
            at++;
        }
        long value = 0;
        int digits = 0;
        while (true) {
            if (at == end) {
                return NEED_MORE;
            }
            int c = b[at];
            if (c == ',' && digits > 0) {
                break;
            }
            if (c < '0' || c > '9' || ++digits > 10 || digits > 1 && value == 0) {
                return INVALID;
            }
            value = value * 10 + c - '0';
            at++;
        }
        long seq = negative ? -value : value;
        if (seq < Integer.MIN_VALUE || seq > Integer.MAX_VALUE) {
            return INVALID;
        }
        set(Encoding.JSON, t, b, nameFrom, nameLength, (int) seq);
        return at + 1 - from;
    }

    private static final byte[] JSON_START = {'[', '1', ',', '"'};

    /** Whether the bytes after the name's closing quote, cut short, still fit {@code ,type,}. */
    private static boolean jsonPrefixOk(byte[] b, int at, int end) {
        for (int i = 0; at + i < end; i++) {
            int c = b[at + i];
            boolean ok = switch (i) {
                case 0, 2 -> c == ',';
                case 1 -> c >= '0' + CALL && c <= '0' + ONEWAY;
                default -> c == '-' || c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
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
