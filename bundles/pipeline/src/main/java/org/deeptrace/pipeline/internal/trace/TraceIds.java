package org.deeptrace.pipeline.internal.trace;

/**
 * Trace ids: 32 lowercase hex digits (W3C trace context) derived from the host and the root span's id, so the same
 * capture replayed twice gives the same trace ids.
 */
final class TraceIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceIds() {
    }

    static String of(String host, String rootSpanId) {
        long seed = mix(0x9E3779B97F4A7C15L ^ (host == null ? 0 : host.hashCode()));
        long id = mix(seed ^ rootSpanId.hashCode());
        for (int i = 0; i < rootSpanId.length(); i++) {
            id = mix(id ^ rootSpanId.charAt(i));
        }
        long hi = mix(id ^ 0x632BE59BD9B4E019L);
        long lo = mix(hi ^ id ^ 0x85157AF5L);
        if (hi == 0 && lo == 0) {
            lo = 1; // W3C: an all-zero trace id is invalid
        }
        char[] out = new char[32];
        write(hi, out, 0);
        write(lo, out, 16);
        return new String(out);
    }

    private static void write(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    /** SplitMix64's finaliser, as for span ids. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
