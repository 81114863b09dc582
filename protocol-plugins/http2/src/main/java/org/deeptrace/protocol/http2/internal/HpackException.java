package org.deeptrace.protocol.http2.internal;

/** A header block that does not decode; caught by the connection parser, never leaves the bundle. */
final class HpackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HpackException(String message) {
        super(message, null, false, false);
    }
}
