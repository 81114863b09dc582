package org.deeptrace.protocol.http2.internal;

import java.nio.ByteBuffer;

/** HTTP/2 frame constants (RFC 9113 section 6) and the plausibility test used by inference and resync. */
final class Http2Frames {

    static final int HEADER_LENGTH = 9;
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int PRIORITY = 2;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PUSH_PROMISE = 5;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;

    static final int FLAG_END_STREAM = 0x1;
    static final int FLAG_ACK = 0x1;
    static final int FLAG_END_HEADERS = 0x4;
    static final int FLAG_PADDED = 0x8;
    static final int FLAG_PRIORITY = 0x20;

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Http2Frames() {
    }

    /**
     * Whether 9 bytes at {@code at} look like the header of a known frame type with a stream id that type allows.
     * Lengths above 1 MiB are refused: peers rarely raise SETTINGS_MAX_FRAME_SIZE that far, and random bytes
     * would otherwise pass often.
     */
    static boolean plausible(ByteBuffer b, int at) {
        if (b.limit() - at < HEADER_LENGTH) {
            return false;
        }
        int length = ((b.get(at) & 0xff) << 16) | ((b.get(at + 1) & 0xff) << 8) | (b.get(at + 2) & 0xff);
        int type = b.get(at + 3) & 0xff;
        int streamWord = b.getInt(at + 5);
        if (streamWord < 0 || length > (1 << 20) || type > CONTINUATION) {
            return false;
        }
        boolean connectionLevel = type == SETTINGS || type == PING || type == GOAWAY;
        if (connectionLevel != (streamWord == 0) && type != WINDOW_UPDATE) {
            return false;
        }
        return switch (type) {
            case SETTINGS -> length % 6 == 0;
            case PING -> length == 8;
            case RST_STREAM -> length == 4;
            case PRIORITY -> length == 5;
            case WINDOW_UPDATE -> length == 4;
            case GOAWAY -> length >= 8;
            default -> true;
        };
    }
}
