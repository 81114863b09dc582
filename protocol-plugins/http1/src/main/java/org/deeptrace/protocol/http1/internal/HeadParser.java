package org.deeptrace.protocol.http1.internal;

import org.deeptrace.api.protocol.TraceContext;

/**
 * Parses a buffered start line and header section into a {@link MessageHead}. Header names are compared as
 * bytes; only the values of the headers it extracts are decoded into Strings.
 *
 * <p>Not thread-safe; one per stream, reused for every message. A failure returns {@code null} and leaves its
 * reason in {@link #error()}.
 */
final class HeadParser {

    private static final byte[] HOST = Ascii.bytes("host");
    private static final byte[] CONTENT_LENGTH = Ascii.bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.bytes("transfer-encoding");
    private static final byte[] UPGRADE = Ascii.bytes("upgrade");
    private static final byte[] TRACEPARENT = Ascii.bytes("traceparent");
    private static final byte[] UBER_TRACE_ID = Ascii.bytes("uber-trace-id");
    private static final byte[] X_B3_TRACE_ID = Ascii.bytes("x-b3-traceid");
    private static final byte[] X_B3_SPAN_ID = Ascii.bytes("x-b3-spanid");
    private static final byte[] B3 = Ascii.bytes("b3");
    private static final byte[] SW8 = Ascii.bytes("sw8");
    private static final byte[] X_REQUEST_ID = Ascii.bytes("x-request-id");
    private static final byte[] CHUNKED = Ascii.bytes("chunked");

    /** Content lengths beyond this are nonsense (and would overflow stream offsets). */
    private static final long MAX_CONTENT_LENGTH = 1L << 50;

    private String error;

    // Per-message state, reset by parse().
    private String host;
    private long contentLength;
    private boolean chunked;
    private boolean otherCoding;
    private String upgrade;
    private String traceparent;
    private String uberTraceId;
    private String b3TraceId;
    private String b3SpanId;
    private String b3;
    private String sw8;
    private String xRequestId;

    /** Why the last {@link #parse} returned {@code null}: a constant phrase. */
    String error() {
        return error;
    }

    /**
     * Parses {@code buf[0, length)}, which the caller has checked starts with a valid start line.
     *
     * @param complete the buffer ends with the empty line; when false (the rest was lost) only complete lines count
     * @return the head, or {@code null} with {@link #error()} set
     */
    MessageHead parse(byte[] buf, int length, boolean request, boolean complete) {
        reset();
        int lineEnd = Ascii.indexOf(buf, 0, length, Ascii.LF);
        if (lineEnd < 0) {
            return fail("invalid start line");
        }
        int eol = trimCr(buf, 0, lineEnd);
        String method = null;
        String target = null;
        String version;
        int status = 0;
        String reason = null;
        if (request) {
            int sp1 = Ascii.indexOf(buf, 0, eol, Ascii.SP);
            int sp2 = Ascii.indexOf(buf, sp1 + 1, eol, Ascii.SP);
            if (sp1 <= 0 || sp2 <= sp1 + 1 || eol - sp2 - 1 != MessageStart.HTTP_1.length + 1) {
                return fail("invalid start line");
            }
            method = Ascii.latin1(buf, 0, sp1);
            target = Ascii.utf8(buf, sp1 + 1, sp2);
            version = versionOf(buf[eol - 1]);
        } else {
            if (eol < 12) {
                return fail("invalid start line");
            }
            version = versionOf(buf[7]);
            status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
            int from = eol > 12 ? 13 : 12;
            int to = eol;
            while (to > from && Ascii.isWhitespace(buf[to - 1])) {
                to--;
            }
            reason = to > from ? Ascii.latin1(buf, from, to) : null;
        }
        if (!headers(buf, lineEnd + 1, length, complete)) {
            return null;
        }
        TraceContext trace = TraceContext.resolve(traceparent, b3TraceId, b3SpanId, b3, uberTraceId, sw8);
        return new MessageHead(method, target, version, status, reason, host, contentLength, chunked, otherCoding,
                upgrade, trace, xRequestId);
    }

    private boolean headers(byte[] buf, int from, int length, boolean complete) {
        int lineStart = from;
        while (lineStart < length) {
            int lineEnd = Ascii.indexOf(buf, lineStart, length, Ascii.LF);
            if (lineEnd < 0) {
                if (complete) {
                    fail("invalid header");
                    return false;
                }
                return true; // the unfinished last line of a truncated head
            }
            int eol = trimCr(buf, lineStart, lineEnd);
            if (eol == lineStart) {
                return true; // the empty line ending the head
            }
            if (!Ascii.isWhitespace(buf[lineStart]) && !header(buf, lineStart, eol)) {
                return false;
            }
            // A line starting with whitespace continues the previous value (obsolete folding): ignored.
            lineStart = lineEnd + 1;
        }
        return true;
    }

    private boolean header(byte[] buf, int from, int to) {
        int colon = Ascii.indexOf(buf, from, to, (byte) ':');
        if (colon <= from) {
            fail("invalid header");
            return false;
        }
        for (int i = from; i < colon; i++) {
            if (!Ascii.isTchar(buf[i])) {
                fail("invalid header");
                return false;
            }
        }
        int vs = colon + 1;
        int ve = to;
        while (vs < ve && Ascii.isWhitespace(buf[vs])) {
            vs++;
        }
        while (ve > vs && Ascii.isWhitespace(buf[ve - 1])) {
            ve--;
        }
        // Dispatch on the name's length first: most headers are rejected without comparing a byte.
        switch (colon - from) {
            case 2:
                if (b3 == null && Ascii.equalsIgnoreCase(buf, from, colon, B3)) {
                    b3 = Ascii.latin1(buf, vs, ve);
                }
                break;
            case 3:
                if (sw8 == null && Ascii.equalsIgnoreCase(buf, from, colon, SW8)) {
                    sw8 = Ascii.latin1(buf, vs, ve);
                }
                break;
            case 4:
                if (host == null && Ascii.equalsIgnoreCase(buf, from, colon, HOST) && ve > vs) {
                    host = Ascii.utf8(buf, vs, ve);
                }
                break;
            case 7:
                if (upgrade == null && Ascii.equalsIgnoreCase(buf, from, colon, UPGRADE) && ve > vs) {
                    upgrade = Ascii.latin1(buf, vs, ve);
                }
                break;
            case 11:
                if (traceparent == null && Ascii.equalsIgnoreCase(buf, from, colon, TRACEPARENT)) {
                    traceparent = Ascii.latin1(buf, vs, ve);
                } else if (b3SpanId == null && Ascii.equalsIgnoreCase(buf, from, colon, X_B3_SPAN_ID)) {
                    b3SpanId = Ascii.latin1(buf, vs, ve);
                }
                break;
            case 12:
                if (xRequestId == null && Ascii.equalsIgnoreCase(buf, from, colon, X_REQUEST_ID) && ve > vs) {
                    xRequestId = Ascii.latin1(buf, vs, ve);
                } else if (b3TraceId == null && Ascii.equalsIgnoreCase(buf, from, colon, X_B3_TRACE_ID)) {
                    b3TraceId = Ascii.latin1(buf, vs, ve);
                }
                break;
            case 13:
                if (uberTraceId == null && Ascii.equalsIgnoreCase(buf, from, colon, UBER_TRACE_ID)) {
                    uberTraceId = Ascii.latin1(buf, vs, ve);
                }
                break;
            case 14:
                if (Ascii.equalsIgnoreCase(buf, from, colon, CONTENT_LENGTH)) {
                    return contentLength(buf, vs, ve);
                }
                break;
            case 17:
                if (Ascii.equalsIgnoreCase(buf, from, colon, TRANSFER_ENCODING)) {
                    transferEncoding(buf, vs, ve);
                }
                break;
            default:
                break;
        }
        return true;
    }

    /** {@code Content-Length: 42}, or a list of identical values ({@code 42, 42}) as some proxies send. */
    private boolean contentLength(byte[] buf, int from, int to) {
        int i = from;
        while (i < to) {
            long value = 0;
            int digits = 0;
            while (i < to && Ascii.isDigit(buf[i])) {
                value = value * 10 + (buf[i] - '0');
                if (++digits > 16 || value > MAX_CONTENT_LENGTH) {
                    fail("invalid content-length");
                    return false;
                }
                i++;
            }
            while (i < to && Ascii.isWhitespace(buf[i])) {
                i++;
            }
            if (digits == 0 || (i < to && buf[i] != ',') || (contentLength >= 0 && contentLength != value)) {
                fail("invalid content-length");
                return false;
            }
            contentLength = value;
            i++; // the comma
            while (i < to && Ascii.isWhitespace(buf[i])) {
                i++;
            }
        }
        if (contentLength < 0) {
            fail("invalid content-length"); // an empty value
            return false;
        }
        return true;
    }

    /** Only the last coding matters: it decides whether the body is chunked (several headers form one list). */
    private void transferEncoding(byte[] buf, int from, int to) {
        int lastStart = from;
        for (int i = from; i < to; i++) {
            if (buf[i] == ',') {
                lastStart = i + 1;
            }
        }
        while (lastStart < to && Ascii.isWhitespace(buf[lastStart])) {
            lastStart++;
        }
        int end = lastStart;
        while (end < to && buf[end] != ';' && !Ascii.isWhitespace(buf[end])) {
            end++;
        }
        if (end == lastStart) {
            return; // an empty value adds no coding
        }
        chunked = Ascii.equalsIgnoreCase(buf, lastStart, end, CHUNKED);
        otherCoding = !chunked;
    }

    private static String versionOf(byte minor) {
        return minor == '0' ? "1.0" : minor == '1' ? "1.1" : "1." + (char) minor;
    }

    private static int trimCr(byte[] buf, int from, int lf) {
        return lf > from && buf[lf - 1] == Ascii.CR ? lf - 1 : lf;
    }

    private MessageHead fail(String reason) {
        error = reason;
        return null;
    }

    private void reset() {
        error = null;
        host = null;
        contentLength = -1;
        chunked = false;
        otherCoding = false;
        upgrade = null;
        traceparent = null;
        uberTraceId = null;
        b3TraceId = null;
        b3SpanId = null;
        b3 = null;
        sw8 = null;
        xRequestId = null;
    }
}
