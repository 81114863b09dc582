package org.deeptrace.protocol.fastcgi.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-encoded FastCGI records for the tests (FastCGI 1.0 specification). */
final class FcgiBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static FcgiBytes of() {
        return new FcgiBytes();
    }

    FcgiBytes record(int type, int requestId, byte[] content, int padding) {
        out.write(1);
        out.write(type);
        out.write(requestId >>> 8);
        out.write(requestId & 0xff);
        out.write(content.length >>> 8);
        out.write(content.length & 0xff);
        out.write(padding);
        out.write(0);
        out.writeBytes(content);
        out.writeBytes(new byte[padding]);
        return this;
    }

    FcgiBytes record(int type, int requestId, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return record(type, requestId, b, (8 - b.length % 8) % 8);
    }

    FcgiBytes begin(int requestId, int role, boolean keepConn) {
        return record(FcgiRecord.BEGIN_REQUEST, requestId, new byte[] {0, (byte) role, (byte) (keepConn ? 1 : 0),
            0, 0, 0, 0, 0}, 0);
    }

    /** PARAMS records holding the pairs (name, value, name, value...), then the empty PARAMS record. */
    FcgiBytes params(int requestId, String... pairs) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        for (int i = 0; i < pairs.length; i += 2) {
            byte[] n = pairs[i].getBytes(StandardCharsets.UTF_8);
            byte[] v = pairs[i + 1].getBytes(StandardCharsets.UTF_8);
            length(p, n.length);
            length(p, v.length);
            p.writeBytes(n);
            p.writeBytes(v);
        }
        byte[] all = p.toByteArray();
        record(FcgiRecord.PARAMS, requestId, all, (8 - all.length % 8) % 8);
        return record(FcgiRecord.PARAMS, requestId, new byte[0], 0);
    }

    FcgiBytes stdin(int requestId, String body) {
        if (!body.isEmpty()) {
            record(FcgiRecord.STDIN, requestId, body);
        }
        return record(FcgiRecord.STDIN, requestId, new byte[0], 0);
    }

    FcgiBytes stdout(int requestId, String text) {
        return record(FcgiRecord.STDOUT, requestId, text);
    }

    FcgiBytes stderr(int requestId, String text) {
        return record(FcgiRecord.STDERR, requestId, text);
    }

    FcgiBytes end(int requestId, int appStatus, int protocolStatus) {
        record(FcgiRecord.STDOUT, requestId, new byte[0], 0);
        return record(FcgiRecord.END_REQUEST, requestId, new byte[] {(byte) (appStatus >>> 24),
            (byte) (appStatus >>> 16), (byte) (appStatus >>> 8), (byte) appStatus, (byte) protocolStatus, 0, 0, 0}, 0);
    }

    byte[] build() {
        return out.toByteArray();
    }

    private static void length(ByteArrayOutputStream p, int length) {
        if (length < 128) {
            p.write(length);
        } else {
            p.write(length >>> 24 | 0x80);
            p.write(length >>> 16 & 0xff);
            p.write(length >>> 8 & 0xff);
            p.write(length & 0xff);
        }
    }

    /** A typical nginx GET. */
    static byte[] get(int id, String uri) {
        int q = uri.indexOf('?');
        return of().begin(id, FcgiRecord.ROLE_RESPONDER, true)
                .params(id, "REQUEST_METHOD", "GET", "SCRIPT_NAME", q < 0 ? uri : uri.substring(0, q),
                        "QUERY_STRING", q < 0 ? "" : uri.substring(q + 1), "REQUEST_URI", uri,
                        "HTTP_HOST", "shop.example", "HTTP_USER_AGENT", "x".repeat(200))
                .stdin(id, "").build();
    }

    static byte[] ok(int id, String status) {
        return of().stdout(id, (status == null ? "" : "Status: " + status + "\r\n")
                + "Content-type: text/html\r\n\r\nhello").end(id, 0, 0).build();
    }
}
