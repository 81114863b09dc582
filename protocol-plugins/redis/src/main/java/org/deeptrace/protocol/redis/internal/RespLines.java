package org.deeptrace.protocol.redis.internal;

import java.nio.charset.StandardCharsets;

/** Small helpers on the bytes of a RESP line. */
final class RespLines {
    /** Returned by {@link #parseLong} for anything but a decimal integer. */
    static final long NOT_A_NUMBER = Long.MIN_VALUE;

    private RespLines() {
    }

    /** The decimal integer in {@code b[from, to)} (optional minus, at most 18 digits), or {@link #NOT_A_NUMBER}. */
    static long parseLong(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && b[i] == '-') {
            negative = true;
            i++;
        }
        if (i >= to || to - i > 18) {
            return NOT_A_NUMBER;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_NUMBER;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** The bytes as text: UTF-8, invalid sequences replaced. */
    static String text(byte[] b, int from, int to) {
        return new String(b, from, Math.max(0, to - from), StandardCharsets.UTF_8);
    }
}
