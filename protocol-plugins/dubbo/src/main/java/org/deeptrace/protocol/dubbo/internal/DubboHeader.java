package org.deeptrace.protocol.dubbo.internal;

import org.deeptrace.api.model.ResponseStatus;

/**
 * The 16-byte header of the Dubbo 2 protocol ({@code dubbo://}, also spoken by Dubbo 3):
 * <pre>
 *  0-1  magic 0xdabb
 *  2    flag: 0x80 request, 0x40 two-way, 0x20 event, low 5 bits serialization id (2 = Hessian2)
 *  3    status (responses; 0 in requests)
 *  4-11 request id, big endian
 *  12-15 body length, big endian
 * </pre>
 */
record DubboHeader(int flag, int status, long requestId, long bodyLength) {
    static final int LENGTH = 16;
    static final int MAGIC_HIGH = 0xda;
    static final int MAGIC_LOW = 0xbb;
    static final int FLAG_REQUEST = 0x80;
    static final int FLAG_TWOWAY = 0x40;
    static final int FLAG_EVENT = 0x20;
    static final int SERIALIZATION_MASK = 0x1f;
    static final int HESSIAN2 = 2;
    static final int OK = 20;
    /**
     * Largest body accepted: Dubbo's own payload limit defaults to 8 MiB and is raised in practice to a few
     * tens of MiB; anything beyond 1 GiB is a misread header.
     */
    static final long MAX_BODY = 1L << 30;

    /** The header at {@code b[from, from+16)}, or {@code null} when it is not a plausible Dubbo header. */
    static DubboHeader parse(byte[] b, int from) {
        if ((b[from] & 0xff) != MAGIC_HIGH || (b[from + 1] & 0xff) != MAGIC_LOW) {
            return null;
        }
        int flag = b[from + 2] & 0xff;
        int status = b[from + 3] & 0xff;
        if (!plausibleFlagAndStatus(flag, status)) {
            return null;
        }
        long id = 0;
        for (int i = 4; i < 12; i++) {
            id = (id << 8) | (b[from + i] & 0xff);
        }
        long length = ((long) (b[from + 12] & 0xff) << 24) | ((b[from + 13] & 0xff) << 16)
                | ((b[from + 14] & 0xff) << 8) | (b[from + 15] & 0xff);
        if (length > MAX_BODY) {
            return null;
        }
        return new DubboHeader(flag, status, id, length);
    }

    /**
     * A flag with a serialization id (0 is none) and a status that fits the message kind: requests carry 0,
     * responses one of the status codes Dubbo defines.
     */
    static boolean plausibleFlagAndStatus(int flag, int status) {
        if ((flag & SERIALIZATION_MASK) == 0) {
            return false;
        }
        if ((flag & FLAG_REQUEST) != 0) {
            return status == 0;
        }
        return (flag & FLAG_TWOWAY) == 0 && knownStatus(status);
    }

    static boolean knownStatus(int status) {
        switch (status) {
            case 20: case 30: case 31: case 35: case 40: case 50: case 60: case 70: case 80: case 90: case 100:
                return true;
            default:
                return false;
        }
    }

    boolean request() {
        return (flag & FLAG_REQUEST) != 0;
    }

    boolean twoWay() {
        return (flag & FLAG_TWOWAY) != 0;
    }

    boolean event() {
        return (flag & FLAG_EVENT) != 0;
    }

    int serialization() {
        return flag & SERIALIZATION_MASK;
    }

    /**
     * The status as the contract's vocabulary: the caller's fault (timeouts seen by the client, an inactive
     * channel, a bad request, a missing service, a client-side error) is {@code client_error}; the provider's
     * (its timeout, a response it could not encode, a service or server error, an exhausted thread pool) is
     * {@code server_error}.
     */
    static ResponseStatus responseStatus(int status) {
        switch (status) {
            case OK:
                return ResponseStatus.OK;
            case 30: // CLIENT_TIMEOUT
            case 35: // CHANNEL_INACTIVE
            case 40: // BAD_REQUEST
            case 60: // SERVICE_NOT_FOUND
            case 90: // CLIENT_ERROR
                return ResponseStatus.CLIENT_ERROR;
            case 31: // SERVER_TIMEOUT
            case 50: // BAD_RESPONSE: the provider could not encode its answer
            case 70: // SERVICE_ERROR
            case 80: // SERVER_ERROR
            case 100: // SERVER_THREADPOOL_EXHAUSTED_ERROR
                return ResponseStatus.SERVER_ERROR;
            default:
                return ResponseStatus.ERROR;
        }
    }
}
