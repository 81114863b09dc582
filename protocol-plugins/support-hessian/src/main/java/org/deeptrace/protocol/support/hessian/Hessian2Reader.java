package org.deeptrace.protocol.support.hessian;

import java.util.Arrays;
import java.util.List;

/**
 * Reads the few Hessian 2 values the Dubbo and SOFARPC plugins need (strings, object definitions) from the
 * captured prefix of a body, bounded: it never reads past {@code limit}, never keeps more than a caller-given
 * number of characters, and reports a truncated or invalid value instead of throwing.
 *
 * <p>Hessian strings count UTF-16 characters, not bytes, and are UTF-8 encoded with each surrogate written on its
 * own (CESU-8), in one or more chunks: {@code 0x00-0x1f} (length in the code), {@code 0x30-0x33} (10-bit length),
 * {@code S} (final, 16-bit length) and {@code R} (non-final, 16-bit length, another chunk follows).
 */
public final class Hessian2Reader {
    /** Outcome of the last read. */
    public enum Failure { NONE, TRUNCATED, INVALID }

    private final byte[] buf;
    private int pos;
    private final int limit;
    private Failure failure = Failure.NONE;
    /** The characters of the last string read before it failed. */
    private String partial = "";

    public Hessian2Reader(byte[] buf, int from, int limit) {
        this.buf = buf;
        this.pos = from;
        this.limit = limit;
    }

    public Failure failure() {
        return failure;
    }

    public boolean ok() {
        return failure == Failure.NONE;
    }

    public int position() {
        return pos;
    }

    /** What the last {@link #readString} decoded before it failed: the start of a string cut by the capture. */
    public String partial() {
        return partial;
    }

    /** The next byte without consuming it, or -1 at the limit. */
    public int peek() {
        return pos < limit ? buf[pos] & 0xff : -1;
    }

    /** Consumes one byte; -1 (and {@link Failure#TRUNCATED}) at the limit. */
    public int read() {
        if (pos >= limit) {
            failure = Failure.TRUNCATED;
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /**
     * A string or Hessian null ({@code N}, returned as {@code null}). Characters beyond {@code maxChars} are
     * consumed but not kept. After a failure the result is {@code null} and {@link #failure()} says why.
     */
    public String readString(int maxChars) {
        if (!ok()) {
            return null;
        }
        if (peek() == 'N') {
            pos++;
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(maxChars, 64));
        boolean last;
        do {
            int code = read();
            if (code < 0) {
                return null;
            }
            int length;
            if (code <= 0x1f) {
                length = code;
                last = true;
            } else if (code >= 0x30 && code <= 0x33) {
                int low = read();
                if (low < 0) {
                    return null;
                }
                length = ((code - 0x30) << 8) | low;
                last = true;
            } else if (code == 'S' || code == 'R') {
                int hi = read();
                int lo = read();
                if (lo < 0) {
                    return null;
                }
                length = (hi << 8) | lo;
                last = code == 'S';
            } else {
                failure = Failure.INVALID;
                return null;
            }
            if (!readChars(length, out, maxChars)) {
                partial = out.toString();
                return null;
            }
        } while (!last);
        return out.toString();
    }

    /**
     * The class name of an object definition ({@code C <string> <field count> <field names>}) at the current
     * position, or {@code null} when the next value is not one. Only the name is consumed.
     */
    public String readClassDefinitionName(int maxChars) {
        if (peek() != 'C') {
            return null;
        }
        pos++;
        return readString(maxChars);
    }

    /**
     * The class name and field names of an object definition at the current position, or {@code null} when the
     * next value is not one. Both encodings occur: Hessian 2.0 final ({@code C <string> <int> <strings>}, Dubbo's
     * hessian-lite) and the 2.0 draft that sofa-hessian writes ({@code O <int length> <chars> <int> <strings>}).
     */
    public ClassDefinition readClassDefinition(int maxChars, int maxFields) {
        int code = peek();
        String name;
        boolean draft = code == 'O';
        if (code == 'C') {
            pos++;
            name = readString(maxChars);
        } else if (code == 'O' && pos + 1 < limit && isCompactInt(buf[pos + 1] & 0xff)) {
            pos++;
            int length = readInt();
            if (!ok() || length < 0) {
                failure = ok() ? Failure.INVALID : failure;
                return null;
            }
            StringBuilder out = new StringBuilder();
            if (!readChars(length, out, maxChars)) {
                return null;
            }
            name = out.toString();
        } else {
            return null;
        }
        int count = readInt();
        if (!ok() || name == null || count < 0 || count > maxFields) {
            if (ok()) {
                failure = Failure.INVALID;
            }
            return null;
        }
        String[] fields = new String[count];
        for (int i = 0; i < count; i++) {
            fields[i] = readString(maxChars);
            if (!ok()) {
                return null;
            }
        }
        return new ClassDefinition(name, List.of(Arrays.stream(fields)
                .map(f -> f == null ? "" : f).toArray(String[]::new)), draft);
    }

    /**
     * The name and fields of a Hessian object definition.
     *
     * @param draft written in the 2.0 draft encoding, whose instances start with {@code o <int>}
     */
    public record ClassDefinition(String name, List<String> fields, boolean draft) {
    }

    /**
     * Skips the start of an instance of {@code definition}: {@code o <int>} in the draft encoding, {@code O <int>}
     * or {@code 0x60-0x6f} in the final one. Returns false when the next value is not one.
     */
    public boolean skipInstanceStart(ClassDefinition definition) {
        int code = peek();
        if (definition.draft()) {
            if (code != 'o') {
                return false;
            }
            pos++;
            readInt();
            return ok();
        }
        if (code >= 0x60 && code <= 0x6f) {
            pos++;
            return true;
        }
        if (code == 'O') {
            pos++;
            readInt();
            return ok();
        }
        return false;
    }

    /** A Hessian int: compact one-, two- and three-byte forms, or {@code I} and four bytes. */
    public int readInt() {
        int code = read();
        if (code < 0) {
            return 0;
        }
        if (code >= 0x80 && code <= 0xbf) {
            return code - 0x90;
        }
        if (code >= 0xc0 && code <= 0xcf) {
            int b = read();
            return ((code - 0xc8) << 8) | Math.max(b, 0);
        }
        if (code >= 0xd0 && code <= 0xd7) {
            int b1 = read();
            int b2 = read();
            return ((code - 0xd4) << 16) | (Math.max(b1, 0) << 8) | Math.max(b2, 0);
        }
        if (code == 'I') {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | Math.max(read(), 0);
            }
            return v;
        }
        failure = Failure.INVALID;
        return 0;
    }

    private static boolean isCompactInt(int code) {
        return code >= 0x80 && code <= 0xd7 || code == 'I';
    }

    private boolean readChars(int length, StringBuilder out, int maxChars) {
        for (int i = 0; i < length; i++) {
            int b0 = read();
            if (b0 < 0) {
                return false;
            }
            int c;
            if (b0 < 0x80) {
                c = b0;
            } else if ((b0 & 0xe0) == 0xc0) {
                int b1 = continuation();
                if (b1 < 0) {
                    return false;
                }
                c = ((b0 & 0x1f) << 6) | b1;
            } else if ((b0 & 0xf0) == 0xe0) {
                int b1 = continuation();
                int b2 = b1 < 0 ? -1 : continuation();
                if (b2 < 0) {
                    return false;
                }
                c = ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
            } else if ((b0 & 0xf8) == 0xf0) {
                // Standard 4-byte UTF-8 (other Hessian writers): one code point, two UTF-16 characters.
                int b1 = continuation();
                int b2 = b1 < 0 ? -1 : continuation();
                int b3 = b2 < 0 ? -1 : continuation();
                if (b3 < 0) {
                    return false;
                }
                int cp = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
                if (cp < 0x10000 || cp > 0x10ffff) {
                    failure = Failure.INVALID;
                    return false;
                }
                i++;
                if (out.length() + 2 <= maxChars) {
                    out.appendCodePoint(cp);
                }
                continue;
            } else {
                failure = Failure.INVALID;
                return false;
            }
            if (out.length() < maxChars) {
                out.append((char) c);
            }
        }
        return true;
    }

    /** The 6 payload bits of a UTF-8 continuation byte, or -1 (with the failure set). */
    private int continuation() {
        int b = read();
        if (b < 0) {
            return -1;
        }
        if ((b & 0xc0) != 0x80) {
            failure = Failure.INVALID;
            return -1;
        }
        return b & 0x3f;
    }
}
