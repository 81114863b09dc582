package org.deeptrace.protocol.http2.internal;

import java.util.Locale;

/**
 * Trace and span id from the propagation headers, the subset of the HTTP/1 plugin's rules this plugin needs:
 * W3C {@code traceparent}, Zipkin {@code x-b3-traceid}/{@code x-b3-spanid} and {@code b3}, Jaeger
 * {@code uber-trace-id}. Hex ids in lower case; a header that does not parse is ignored.
 */
record TraceContext(String traceId, String spanId) {

    static TraceContext resolve(String traceparent, String b3TraceId, String b3SpanId, String b3, String uber) {
        TraceContext found = traceparent == null ? null : fromTraceparent(traceparent);
        if (found == null && b3TraceId != null) {
            found = fromB3Multi(b3TraceId, b3SpanId);
        }
        if (found == null && b3 != null) {
            found = fromB3Single(b3);
        }
        if (found == null && uber != null) {
            found = fromUber(uber);
        }
        return found;
    }

    static TraceContext fromTraceparent(String value) {
        String[] parts = value.trim().split("-", -1);
        if (parts.length < 4 || !isHex(parts[0], 2, 2) || parts[0].equalsIgnoreCase("ff")
                || !isHex(parts[1], 32, 32) || !isHex(parts[2], 16, 16) || !isHex(parts[3], 2, 2)
                || (parts[0].equals("00") && parts.length != 4) || isZero(parts[1]) || isZero(parts[2])) {
            return null;
        }
        return new TraceContext(lower(parts[1]), lower(parts[2]));
    }

    static TraceContext fromB3Multi(String traceId, String spanId) {
        String t = traceId.trim();
        if ((t.length() != 16 && t.length() != 32) || !isHex(t, 16, 32) || isZero(t)) {
            return null;
        }
        String s = spanId == null ? null : spanId.trim();
        return new TraceContext(lower(t), s != null && isHex(s, 16, 16) ? lower(s) : null);
    }

    static TraceContext fromB3Single(String value) {
        String[] parts = value.trim().split("-", -1);
        if (parts.length < 2) {
            return null;
        }
        TraceContext c = fromB3Multi(parts[0], parts[1]);
        return c == null || c.spanId() == null ? null : c;
    }

    static TraceContext fromUber(String value) {
        String v = value.trim().replace("%3A", ":").replace("%3a", ":");
        String[] parts = v.split(":", -1);
        if (parts.length != 4 || !isHex(parts[0], 1, 32) || !isHex(parts[1], 1, 16) || isZero(parts[0])) {
            return null;
        }
        return new TraceContext(lower(parts[0]), lower(parts[1]));
    }

    private static boolean isHex(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
