package org.deeptrace.capture.pcap.internal;

/** Formats addresses the way the contract writes them: {@code ip:port}, {@code [v6]:port} (RFC 5952 text). */
final class Addresses {
    private Addresses() {
    }

    static String ipv4(byte[] b, int i) {
        return (b[i] & 0xff) + "." + (b[i + 1] & 0xff) + "." + (b[i + 2] & 0xff) + "." + (b[i + 3] & 0xff);
    }

    /** RFC 5952: lowercase hex, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    static String ipv6(byte[] b, int i) {
        int[] groups = new int[8];
        for (int g = 0; g < 8; g++) {
            groups[g] = ((b[i + 2 * g] & 0xff) << 8) | (b[i + 2 * g + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8;) {
            if (groups[g] != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && groups[g] == 0) {
                g++;
            }
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder s = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                s.append("::");
                g += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[g]));
        }
        return s.toString();
    }

    static String withPort(String ip, boolean v6, int port) {
        return v6 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
