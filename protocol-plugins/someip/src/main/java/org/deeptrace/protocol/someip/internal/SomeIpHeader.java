package org.deeptrace.protocol.someip.internal;

import java.nio.ByteBuffer;

/**
 * The 16-byte SOME/IP header: message id (service id, method id), length (of what follows the length field:
 * request id, versions, types and payload), request id (client id, session id), protocol version (always 1),
 * interface version, message type, return code. All big-endian.
 */
final class SomeIpHeader {
    static final int SIZE = 16;
    /** Bytes counted by the length field that belong to the header. */
    static final int COUNTED_HEADER = 8;
    static final int PROTOCOL_VERSION = 1;
    /**
     * The largest length accepted: SOME/IP over UDP stays below 1400 bytes (larger payloads use SOME/IP-TP), over
     * TCP the specification sets no limit; 16 MiB only has to stop garbage.
     */
    static final long MAX_LENGTH = 16L << 20;

    static final int SD_SERVICE = 0xFFFF;
    static final int SD_METHOD = 0x8100;
    /** Magic cookies (TCP resync markers): message ids 0xFFFF0000 (client) and 0xFFFF8000 (server). */
    static final int MAGIC_COOKIE_CLIENT = 0xFFFF_0000;
    static final int MAGIC_COOKIE_SERVER = 0xFFFF_8000;

    static final int REQUEST = 0x00;
    static final int REQUEST_NO_RETURN = 0x01;
    static final int NOTIFICATION = 0x02;
    static final int RESPONSE = 0x80;
    static final int ERROR = 0x81;
    /** SOME/IP-TP: the message is one segment of a larger one; a 4-byte TP header follows the SOME/IP header. */
    static final int TP_FLAG = 0x20;
    /** Acknowledgement variants of the early specifications (0x40 | type). */
    static final int ACK_FLAG = 0x40;

    private SomeIpHeader() {
    }

    static long uint32(ByteBuffer b, int i) {
        return ((b.get(i) & 0xFFL) << 24) | ((b.get(i + 1) & 0xFFL) << 16) | ((b.get(i + 2) & 0xFFL) << 8)
                | (b.get(i + 3) & 0xFFL);
    }

    static long uint32(byte[] b, int i) {
        return ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFFL) << 16) | ((b[i + 2] & 0xFFL) << 8) | (b[i + 3] & 0xFFL);
    }

    static int uint16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    /** The message type without the TP flag, when it is one SOME/IP defines; -1 otherwise. */
    static int baseType(int messageType) {
        int base = messageType & ~TP_FLAG;
        return switch (base) {
            case REQUEST, REQUEST_NO_RETURN, NOTIFICATION, RESPONSE, ERROR -> base;
            case ACK_FLAG | REQUEST, ACK_FLAG | REQUEST_NO_RETURN, ACK_FLAG | NOTIFICATION, ACK_FLAG | RESPONSE,
                    ACK_FLAG | ERROR -> base;
            default -> -1;
        };
    }

    /**
     * Whether 16 bytes at {@code i} are a plausible header: length 8..16 MiB, protocol version 1, a defined message
     * type, a return code below 0x5F, and E_OK on requests and notifications (the specification requires it).
     */
    static boolean plausible(ByteBuffer b, int i) {
        long length = uint32(b, i + 4);
        if (length < COUNTED_HEADER || length > MAX_LENGTH || b.get(i + 12) != PROTOCOL_VERSION) {
            return false;
        }
        int type = baseType(b.get(i + 14) & 0xFF);
        int returnCode = b.get(i + 15) & 0xFF;
        if (type < 0 || returnCode > 0x5E) {
            return false;
        }
        return (type & 0x80) != 0 || returnCode == 0;
    }

    static boolean plausible(byte[] b) {
        return plausible(ByteBuffer.wrap(b), 0);
    }
}
