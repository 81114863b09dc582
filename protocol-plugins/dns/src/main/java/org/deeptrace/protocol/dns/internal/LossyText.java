package org.deeptrace.protocol.dns.internal;

/**
 * Undoes what it can of a lossy UTF-8 conversion (bytes decoded as UTF-8 with invalid sequences replaced by
 * U+FFFD, then encoded again): some capture tools store binary payloads that way. Valid UTF-8 sequences survived
 * unchanged; each EF BF BD stands for one to three lost bytes: one for a byte that cannot start or continue a
 * sequence, two or three for the start of a multi-byte sequence cut short (UTF-8's "maximal subpart" rule). Which
 * one cannot be told from the text, so callers try the widths that make the message parse. The result holds the
 * surviving bytes in place and marks the lost ones.
 */
final class LossyText {
    private static final byte R0 = (byte) 0xEF;
    private static final byte R1 = (byte) 0xBF;
    private static final byte R2 = (byte) 0xBD;

    private LossyText() {
    }

    /** Whether the bytes contain the UTF-8 encoding of U+FFFD. */
    static boolean hasReplacement(byte[] b, int from, int to) {
        for (int i = from; i + 2 < to; i++) {
            if (b[i] == R0 && b[i + 1] == R1 && b[i + 2] == R2) {
                return true;
            }
        }
        return false;
    }

    /** How many U+FFFD the bytes contain. */
    static int countReplacements(byte[] b, int from, int to) {
        int count = 0;
        for (int i = from; i + 2 < to; i++) {
            if (b[i] == R0 && b[i + 1] == R1 && b[i + 2] == R2) {
                count++;
                i += 2;
            }
        }
        return count;
    }

    /**
     * The bytes with every U+FFFD turned back into unknown bytes: the k-th replacement into {@code widths[k]}
     * of them when {@code k < widths.length}, into one otherwise.
     */
    static DnsBytes recover(byte[] b, int from, int to, int[] widths) {
        int max = to - from + 2 * widths.length;
        byte[] out = new byte[max];
        boolean[] unknown = new boolean[max];
        int n = 0;
        int k = 0;
        for (int i = from; i < to;) {
            if (i + 2 < to && b[i] == R0 && b[i + 1] == R1 && b[i + 2] == R2) {
                int width = k < widths.length ? widths[k] : 1;
                for (int w = 0; w < width; w++) {
                    unknown[n++] = true;
                }
                k++;
                i += 3;
            } else {
                out[n++] = b[i++];
            }
        }
        return new DnsBytes(out, 0, n, unknown);
    }
}
