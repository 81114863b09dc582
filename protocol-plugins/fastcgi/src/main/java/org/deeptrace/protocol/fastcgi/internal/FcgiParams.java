package org.deeptrace.protocol.fastcgi.internal;

import java.nio.charset.StandardCharsets;

/**
 * The PARAMS of one request: the CGI variables the web server passes. Only the ones the records use are kept.
 * Name-value pairs are {@code nameLength valueLength name value}, each length 1 byte (< 128) or 4 bytes with
 * the high bit set.
 */
final class FcgiParams {
    /** Longest value kept; longer ones are cut (URIs and trace headers fit). */
    static final int MAX_VALUE = 2048;

    String method;
    String requestUri;
    String scriptName;
    String queryString;
    String host;
    String serverName;
    String traceparent;
    String b3TraceId;
    String b3SpanId;
    String b3;
    String uberTraceId;
    String sw8;
    String xRequestId;
    /** False when the pairs did not decode to the end (cut by the buffer limit or a gap). */
    boolean complete = true;

    static FcgiParams decode(byte[] b, int length) {
        FcgiParams p = new FcgiParams();
        if (length > b.length) {
            // The buffer is gone (an empty PARAMS record after the stream was decoded): use what is there.
            length = b.length;
            p.complete = false;
        }
        int at = 0;
        int[] cursor = new int[1];
        while (at < length) {
            cursor[0] = at;
            long nameLength = readLength(b, length, cursor);
            long valueLength = nameLength < 0 ? -1 : readLength(b, length, cursor);
            at = cursor[0];
            if (valueLength < 0 || nameLength + valueLength > length - at) {
                p.complete = false;
                break;
            }
            p.set(b, at, (int) nameLength, at + (int) nameLength, (int) valueLength);
            at += (int) (nameLength + valueLength);
        }
        return p;
    }

    private static long readLength(byte[] b, int length, int[] cursor) {
        int at = cursor[0];
        if (at >= length) {
            return -1;
        }
        int first = b[at] & 0xff;
        if (first < 0x80) {
            cursor[0] = at + 1;
            return first;
        }
        if (at + 4 > length) {
            return -1;
        }
        cursor[0] = at + 4;
        return (long) (first & 0x7f) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    private void set(byte[] b, int nameAt, int nameLength, int valueAt, int valueLength) {
        if (nameLength < 7 || nameLength > 20 || b[nameAt] < 'B' || b[nameAt] > 'S') {
            return; // none of the names we keep: skip without making a string
        }
        String name = new String(b, nameAt, nameLength, StandardCharsets.ISO_8859_1);
        switch (name) {
            case "REQUEST_METHOD" -> method = value(b, valueAt, valueLength);
            case "REQUEST_URI" -> requestUri = value(b, valueAt, valueLength);
            case "SCRIPT_NAME" -> scriptName = value(b, valueAt, valueLength);
            case "QUERY_STRING" -> queryString = value(b, valueAt, valueLength);
            case "HTTP_HOST" -> host = value(b, valueAt, valueLength);
            case "SERVER_NAME" -> serverName = value(b, valueAt, valueLength);
            case "HTTP_TRACEPARENT" -> traceparent = value(b, valueAt, valueLength);
            case "HTTP_X_B3_TRACEID" -> b3TraceId = value(b, valueAt, valueLength);
            case "HTTP_X_B3_SPANID" -> b3SpanId = value(b, valueAt, valueLength);
            case "HTTP_B3" -> b3 = value(b, valueAt, valueLength);
            case "HTTP_UBER_TRACE_ID" -> uberTraceId = value(b, valueAt, valueLength);
            case "HTTP_SW8" -> sw8 = value(b, valueAt, valueLength);
            case "HTTP_X_REQUEST_ID" -> xRequestId = value(b, valueAt, valueLength);
            default -> {
            }
        }
    }

    private static String value(byte[] b, int at, int length) {
        return new String(b, at, Math.min(length, MAX_VALUE), StandardCharsets.UTF_8);
    }
}
