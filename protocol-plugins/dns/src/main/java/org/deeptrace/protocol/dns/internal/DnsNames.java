package org.deeptrace.protocol.dns.internal;

/**
 * Reads domain names (RFC 1035 section 4.1.4) with compression pointers, defensively: a pointer must point
 * strictly before the label that holds it, so a chain of pointers always ends; a name has at most 255 bytes.
 * Bytes outside letters, digits, '-' and '_' are written {@code \DDD} as in zone files; a byte known to be lost
 * (see {@link LossyText}) is written '?'.
 */
final class DnsNames {
    static final int MAX_NAME = 255;

    private DnsNames() {
    }

    /** Where a name ended and what it says. */
    record Name(String text, int next) {
    }

    /**
     * Reads the name at {@code at} of the message {@code m[0, length)}.
     *
     * @return the name and the index just past it in the message (after the first pointer, if any); null when the
     *     name is malformed or runs past the captured bytes
     */
    static Name read(DnsBytes m, int at) {
        StringBuilder text = new StringBuilder(32);
        int next = -1;
        int pos = at;
        int limit = at; // a pointer must point before the start of the current run of labels
        int wireLength = 0;
        while (true) {
            if (pos >= m.length()) {
                return null;
            }
            if (m.unknown(pos)) {
                // A lost byte where a length belongs: compression pointers (0xC0..) are what such text loses.
                if (next < 0) {
                    next = pos + 2;
                }
                text.append(text.length() == 0 ? "?" : ".?");
                break;
            }
            int len = m.u8(pos);
            if (len == 0) {
                if (next < 0) {
                    next = pos + 1;
                }
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                if (pos + 1 >= m.length()) {
                    return null;
                }
                int target = ((len & 0x3F) << 8) | m.u8(pos + 1);
                if (next < 0) {
                    next = pos + 2;
                }
                if (target >= limit) {
                    return null; // forward or self pointer: a loop or garbage
                }
                pos = target;
                limit = target;
                continue;
            }
            if ((len & 0xC0) != 0) {
                return null; // 0x40 and 0x80 label types are obsolete or undefined
            }
            wireLength += len + 1;
            if (wireLength > MAX_NAME || pos + 1 + len > m.length()) {
                return null;
            }
            if (text.length() > 0) {
                text.append('.');
            }
            for (int i = pos + 1; i <= pos + len; i++) {
                appendByte(text, m, i);
            }
            pos += 1 + len;
        }
        return new Name(text.length() == 0 ? "." : text.toString(), next);
    }

    private static void appendByte(StringBuilder text, DnsBytes m, int i) {
        if (m.unknown(i)) {
            text.append('?');
            return;
        }
        int c = m.u8(i);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '*') {
            text.append((char) c);
        } else {
            text.append('\\');
            text.append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
        }
    }
}
