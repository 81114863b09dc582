package org.deeptrace.pipeline.internal.core;

/**
 * Span ids: 16 lowercase hex digits derived from what makes a span unique (host, process, socket, start, kind,
 * position on the connection), so the same capture replayed twice gives the same ids.
 */
final class SpanIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SpanIds() {
    }

    static String of(String host, ConnectionKey key, long startNs, boolean client, long sequence) {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h ^ (host == null ? 0 : host.hashCode()));
        h = mix(h ^ key.tgid());
        h = mix(h ^ key.local().hashCode());
        h = mix(h ^ key.remote().hashCode());
        h = mix(h ^ startNs);
        h = mix(h ^ (client ? 1 : 2));
        h = mix(h ^ sequence);
        if (h == 0) {
            h = 1; // W3C: an all-zero span id is invalid
        }
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (h & 0xf)];
            h >>>= 4;
        }
        return new String(out);
    }

    /** SplitMix64's finaliser: a cheap, well-distributed 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
