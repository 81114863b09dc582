package org.deeptrace.capture.ebpf.internal;

import java.nio.ByteBuffer;

/**
 * Socket addresses in the contract's notation: {@code ip:port}, {@code [v6]:port} (RFC 5952 compressed).
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}, a dual-stack socket talking IPv4) are written as IPv4,
 * so both ends of one IPv4 connection carry the same address whatever socket family each side uses.
 */
final class Addresses {

    private Addresses() {
    }

    /** 4 (IPv4) or 16 (IPv6) bytes at {@code at}, network order, and a host-order port. */
    static String format(ByteBuffer b, int at, boolean v6, int port) {
        StringBuilder sb = new StringBuilder(v6 ? 48 : 22);
        if (!v6 || isV4Mapped(b, at)) {
            int o = v6 ? at + 12 : at;
            sb.append(b.get(o) & 0xff).append('.').append(b.get(o + 1) & 0xff).append('.')
                    .append(b.get(o + 2) & 0xff).append('.').append(b.get(o + 3) & 0xff);
        } else {
            sb.append('[');
            appendV6(sb, b, at);
            sb.append(']');
        }
        return sb.append(':').append(port).toString();
    }

    private static boolean isV4Mapped(ByteBuffer b, int at) {
        for (int i = 0; i < 10; i++) {
            if (b.get(at + i) != 0) {
                return false;
            }
        }
        return (b.get(at + 10) & 0xff) == 0xff && (b.get(at + 11) & 0xff) == 0xff;
    }

    private static void appendV6(StringBuilder sb, ByteBuffer b, int at) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b.get(at + 2 * i) & 0xff) << 8) | (b.get(at + 2 * i + 1) & 0xff);
        }
        // longest run of at least two zero groups becomes "::" (the first one on a tie)
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
    }
}
