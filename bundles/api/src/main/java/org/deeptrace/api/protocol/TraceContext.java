package org.deeptrace.api.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The trace and span id a message carries in one of the common propagation headers.
 *
 * <p>Formats: W3C {@code traceparent} ({@code 00-<32hex>-<16hex>-<2hex>}), Zipkin {@code X-B3-TraceId} /
 * {@code X-B3-SpanId} and single-header {@code b3} ({@code <trace>-<span>[-<sampled>[-<parent>]]}), Jaeger
 * {@code uber-trace-id} ({@code <trace>:<span>:<parent>:<flags>}, possibly URL-encoded) and SkyWalking {@code sw8}
 * ({@code <sample>-<base64 trace>-<base64 segment>-<span>-...}: the trace id is the decoded text, the span id
 * {@code <segment>-<span>}). Hex ids are returned in lower case. A header that does not parse is ignored.
 * Shared by the HTTP-like protocol plugins so they all read the same headers the same way.
 */
public record TraceContext(String traceId, String spanId) {

    /** The first header that parses wins, in this order: traceparent, X-B3-*, b3, uber-trace-id, sw8. */
    public static TraceContext resolve(String traceparent, String b3TraceId, String b3SpanId, String b3, String uber,
            String sw8) {
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
        if (found == null && sw8 != null) {
            found = fromSw8(sw8);
        }
        return found;
    }

    public static TraceContext fromTraceparent(String value) {
        String[] parts = value.trim().split("-", -1);
        if (parts.length < 4 || !isHex(parts[0], 2, 2) || parts[0].equalsIgnoreCase("ff")
                || !isHex(parts[1], 32, 32) || !isHex(parts[2], 16, 16) || !isHex(parts[3], 2, 2)
                || (parts[0].equals("00") && parts.length != 4) || isZero(parts[1]) || isZero(parts[2])) {
            return null;
        }
        return new TraceContext(lower(parts[1]), lower(parts[2]));
    }

    public static TraceContext fromB3Multi(String traceId, String spanId) {
        String t = traceId.trim();
        if (!isHex(t, 16, 32) || (t.length() != 16 && t.length() != 32) || isZero(t)) {
            return null;
        }
        String s = spanId == null ? null : spanId.trim();
        return new TraceContext(lower(t), s != null && isHex(s, 16, 16) ? lower(s) : null);
    }

    public static TraceContext fromB3Single(String value) {
        String[] parts = value.trim().split("-", -1);
        if (parts.length < 2) {
            return null; // only a sampling decision ("0", "1", "d")
        }
        TraceContext c = fromB3Multi(parts[0], parts[1]);
        return c == null || c.spanId() == null ? null : c;
    }

    public static TraceContext fromUber(String value) {
        String v = value.trim();
        if (v.indexOf('%') >= 0) {
            v = v.replace("%3A", ":").replace("%3a", ":");
        }
        String[] parts = v.split(":", -1);
        if (parts.length != 4 || !isHex(parts[0], 1, 32) || !isHex(parts[1], 1, 16) || isZero(parts[0])) {
            return null;
        }
        return new TraceContext(lower(parts[0]), lower(parts[1]));
    }

    public static TraceContext fromSw8(String value) {
        String[] parts = value.trim().split("-", -1);
        if (parts.length < 8 || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        try {
            String trace = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            String segment = new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8);
            Integer.parseInt(parts[3]);
            return trace.isBlank() ? null : new TraceContext(trace, segment + "-" + parts[3]);
        } catch (IllegalArgumentException e) { // bad base64 or span number
            return null;
        }
    }

    private static boolean isHex(String s, int minLength, int maxLength) {
        if (s.length() < minLength || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
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
