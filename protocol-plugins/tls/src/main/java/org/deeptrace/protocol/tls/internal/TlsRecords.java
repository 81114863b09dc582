package org.deeptrace.protocol.tls.internal;

/** The 5-byte TLS record header (RFC 8446 section 5.1): content type, legacy version, length. */
final class TlsRecords {
    static final int HEADER = 5;
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int HEARTBEAT = 24;
    /** 2^14 plaintext plus the most any cipher adds (RFC 5246 section 6.2.3). */
    static final int MAX_LENGTH = (1 << 14) + 2048;

    private TlsRecords() {
    }

    /** Whether {@code b[i, i+5)} is a plausible record header. */
    static boolean plausibleHeader(byte[] b, int i) {
        int type = b[i] & 0xff;
        int major = b[i + 1] & 0xff;
        int minor = b[i + 2] & 0xff;
        int length = ((b[i + 3] & 0xff) << 8) | (b[i + 4] & 0xff);
        return type >= CHANGE_CIPHER_SPEC && type <= HEARTBEAT && major == 3 && minor <= 4 && length > 0
                && length <= MAX_LENGTH;
    }
}
