package org.deeptrace.protocol.someip.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** SOME/IP messages for the tests. */
final class Msg {

    private Msg() {
    }

    static byte[] of(int service, int method, int client, int session, int type, int rc, int payloadSize) {
        return of(service, method, client, session, type, rc, new byte[payloadSize]);
    }

    static byte[] of(int service, int method, int client, int session, int type, int rc, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length).putShort((short) service).putShort((short) method)
                .putInt(8 + payload.length).putShort((short) client).putShort((short) session)
                .put((byte) 1).put((byte) 3).put((byte) type).put((byte) rc).put(payload).array();
    }

    static byte[] request(int method, int session, int payloadSize) {
        return of(0x1234, method, 0x0010, session, 0x00, 0, payloadSize);
    }

    static byte[] response(int method, int session, int rc, int payloadSize) {
        return of(0x1234, method, 0x0010, session, rc == 0 ? 0x80 : 0x81, rc, payloadSize);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
