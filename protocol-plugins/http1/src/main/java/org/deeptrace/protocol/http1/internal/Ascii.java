package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Byte-level helpers for the ASCII parts of HTTP/1: no decoding until a value is actually extracted. */
final class Ascii {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private Ascii() {
    }

    static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** The value of a hexadecimal digit, or -1. */
    static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /** RFC 9110 token character (method names, header names). */
    static boolean isTchar(int b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return b > 0x20 && b < 0x7F && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    static boolean isWhitespace(int b) {
        return b == SP || b == HTAB;
    }

    /** Whether {@code buf[from, to)} equals {@code lowerName}, ignoring the case of ASCII letters. */
    static boolean equalsIgnoreCase(byte[] buf, int from, int to, byte[] lowerName) {
        if (to - from != lowerName.length) {
            return false;
        }
        for (int i = 0; i < lowerName.length; i++) {
            int b = buf[from + i];
            if (b >= 'A' && b <= 'Z') {
                b |= 0x20;
            }
            if (b != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the buffer holds {@code prefix} at absolute index {@code at} (bounded by {@code to}). */
    static boolean startsWith(ByteBuffer b, int at, int to, byte[] prefix) {
        if (to - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of {@code value} in {@code buf[from, to)}, or -1. */
    static int indexOf(byte[] buf, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (buf[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Header values are opaque octets; ISO-8859-1 maps each to one char and never fails. */
    static String latin1(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Request targets are mostly ASCII, but clients do send raw UTF-8 paths. */
    static String utf8(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }
}
