package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.Origin;

/**
 * Recognises the first bytes of an HTTP/1 message: a known method and a space (requests), or
 * {@code HTTP/1.0 }/{@code HTTP/1.1 } and a digit (responses). Used to infer the protocol and to find a place
 * to resynchronise after lost bytes, where body bytes that merely resemble a message must not match easily.
 */
final class MessageStart {

    /**
     * The methods that mark a request. {@code PRI} is deliberately absent: {@code PRI * HTTP/2.0} opens HTTP/2.
     */
    private static final byte[][] METHODS = {
        Ascii.bytes("GET "), Ascii.bytes("POST "), Ascii.bytes("PUT "), Ascii.bytes("HEAD "),
        Ascii.bytes("DELETE "), Ascii.bytes("OPTIONS "), Ascii.bytes("PATCH "), Ascii.bytes("CONNECT "),
        Ascii.bytes("TRACE "),
    };
    static final byte[] HTTP_1 = Ascii.bytes("HTTP/1.");

    private MessageStart() {
    }

    /** Length of the known method plus its space at {@code b[from]}, or 0 when there is none. */
    static int knownMethod(ByteBuffer b, int from, int to) {
        if (from >= to) {
            return 0;
        }
        byte first = b.get(from);
        for (byte[] method : METHODS) {
            if (method[0] == first && Ascii.startsWith(b, from, to, method)) {
                return method.length;
            }
        }
        return 0;
    }

    /** Whether {@code b[from, to)} starts with {@code HTTP/1.0 } or {@code HTTP/1.1 } followed by a digit. */
    static boolean isStatusLine(ByteBuffer b, int from, int to) {
        return to - from >= 10 && Ascii.startsWith(b, from, to, HTTP_1)
                && (b.get(from + 7) == '0' || b.get(from + 7) == '1')
                && b.get(from + 8) == Ascii.SP && Ascii.isDigit(b.get(from + 9));
    }

    /** Whether a chunk from {@code origin} starts like a new message (a place to resynchronise). */
    static boolean looksLikeStart(Origin origin, ByteBuffer b, int from, int to) {
        return origin == Origin.CLIENT ? knownMethod(b, from, to) > 0 : isStatusLine(b, from, to);
    }
}
