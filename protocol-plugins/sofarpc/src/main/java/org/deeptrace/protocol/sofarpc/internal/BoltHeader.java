package org.deeptrace.protocol.sofarpc.internal;

import org.deeptrace.api.model.ResponseStatus;

/**
 * The fixed part of a Bolt command (sofa-bolt's RpcProtocol v1 and RpcProtocolV2), big endian:
 * <pre>
 * v1 request:  proto=1 type cmdcode(2) ver2 requestId(4) codec timeout(4)    classLen(2) headerLen(2) contentLen(4)
 * v1 response: proto=1 type cmdcode(2) ver2 requestId(4) codec respstatus(2) classLen(2) headerLen(2) contentLen(4)
 * v2: proto=2 ver1 type cmdcode(2) ver2 requestId(4) codec switch, then as v1; a CRC32 of 4 bytes follows the
 *     content when switch bit 0 is set.
 * </pre>
 * Then the class name, the header map and the content, of the announced lengths.
 *
 * @param type 0 response, 1 request, 2 one-way request
 * @param cmdCode 0 heartbeat, 1 request, 2 response
 * @param fixedLength bytes of the fixed part (20 to 24)
 * @param statusOrTimeout the response status of a response, the timeout of a request
 */
record BoltHeader(int proto, int type, int cmdCode, long requestId, int codec, int statusOrTimeout, int classLength,
        int headerLength, long contentLength, int fixedLength, boolean crc) {
    static final int TYPE_RESPONSE = 0;
    static final int TYPE_REQUEST = 1;
    static final int TYPE_ONEWAY = 2;
    static final int CMD_HEARTBEAT = 0;
    static final int CMD_REQUEST = 1;
    static final int CMD_RESPONSE = 2;
    /** Most bytes the fixed part can have (a v2 request). */
    static final int MAX_FIXED = 24;
    /** Longest class name accepted (SOFA's are under 60 characters). */
    static final int MAX_CLASS = 1024;
    /** Largest content accepted: Bolt has no limit of its own; beyond 1 GiB the header is misread. */
    static final long MAX_CONTENT = 1L << 30;

    /**
     * How many bytes the fixed part has, from its first bytes, or -1 when they cannot start a Bolt command;
     * 0 when more bytes are needed to tell.
     */
    static int fixedLength(byte[] b, int fill) {
        if (fill < 1) {
            return 0;
        }
        int proto = b[0] & 0xff;
        int typeIndex = proto == 1 ? 1 : proto == 2 ? 2 : -1;
        if (typeIndex < 0) {
            return -1;
        }
        if (fill <= typeIndex) {
            return 0;
        }
        int type = b[typeIndex] & 0xff;
        if (type > TYPE_ONEWAY) {
            return -1;
        }
        int v1 = type == TYPE_RESPONSE ? 20 : 22;
        return proto == 1 ? v1 : v1 + 2;
    }

    /**
     * Checks the bytes of a fixed part received so far, field by field, so that garbage is refused early.
     */
    static boolean plausiblePrefix(byte[] b, int fill) {
        int fixed = fixedLength(b, fill);
        if (fixed < 0) {
            return false;
        }
        if (fixed == 0) {
            return true;
        }
        int p = (b[0] & 0xff) == 1 ? 1 : 2;
        if (p == 2 && fill > 1 && (b[1] & 0xff) != 1 && (b[1] & 0xff) != 2) {
            return false; // ver1
        }
        int type = b[p] & 0xff;
        if (fill > p + 2) {
            int cmd = ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
            boolean fits = type == TYPE_RESPONSE ? cmd == CMD_HEARTBEAT || cmd == CMD_RESPONSE
                    : cmd == CMD_HEARTBEAT || cmd == CMD_REQUEST;
            if (!fits) {
                return false;
            }
        }
        if (fill > p + 3 && (b[p + 3] & 0xff) != 1) {
            return false; // ver2
        }
        return fill < fixed || parse(b) != null;
    }

    /** The fixed part at the start of {@code b} (complete), or {@code null} when it is not plausible. */
    static BoltHeader parse(byte[] b) {
        int fixed = fixedLength(b, MAX_FIXED);
        if (fixed <= 0) {
            return null;
        }
        int proto = b[0] & 0xff;
        int p = proto == 1 ? 1 : 2;
        int type = b[p] & 0xff;
        int cmd = u16(b, p + 1);
        long id = u32(b, p + 4);
        int codec = b[p + 8] & 0xff;
        boolean crc = proto == 2 && (b[p + 9] & 0x01) != 0;
        int q = proto == 2 ? p + 10 : p + 9;
        int statusOrTimeout;
        if (type == TYPE_RESPONSE) {
            statusOrTimeout = u16(b, q);
            q += 2;
            if (!knownStatus(statusOrTimeout)) {
                return null;
            }
        } else {
            statusOrTimeout = (int) u32(b, q);
            q += 4;
        }
        int classLength = u16(b, q);
        int headerLength = u16(b, q + 2);
        long contentLength = u32(b, q + 4);
        if (classLength > MAX_CLASS || contentLength > MAX_CONTENT) {
            return null;
        }
        if (cmd == CMD_HEARTBEAT && (classLength | headerLength | contentLength) != 0) {
            return null;
        }
        return new BoltHeader(proto, type, cmd, id, codec, statusOrTimeout, classLength, headerLength,
                contentLength, fixed, crc);
    }

    static boolean knownStatus(int status) {
        return status <= 0x0012 && (status <= 0x0009 || status >= 0x0010);
    }

    /** Bytes of the whole command. */
    long totalLength() {
        return fixedLength + classLength + headerLength + contentLength + (crc ? 4 : 0);
    }

    boolean heartbeat() {
        return cmdCode == CMD_HEARTBEAT;
    }

    boolean request() {
        return type != TYPE_RESPONSE;
    }

    /**
     * sofa-bolt's ResponseStatus as the contract's vocabulary: the server failed (an exception, a busy thread pool,
     * a response it could not serialise) is {@code server_error}; it could not take the request (no processor for
     * its class, a request it could not deserialise) is {@code client_error}; the rest (errors seen by the client
     * itself, timeouts, closed connections, unknown) is {@code error}.
     */
    static ResponseStatus responseStatus(int status) {
        switch (status) {
            case 0x0000:
                return ResponseStatus.OK;
            case 0x0002: // SERVER_EXCEPTION
            case 0x0004: // SERVER_THREADPOOL_BUSY
            case 0x0011: // SERVER_SERIAL_EXCEPTION
                return ResponseStatus.SERVER_ERROR;
            case 0x0006: // NO_PROCESSOR
            case 0x0012: // SERVER_DESERIAL_EXCEPTION
                return ResponseStatus.CLIENT_ERROR;
            default:
                return ResponseStatus.ERROR;
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
