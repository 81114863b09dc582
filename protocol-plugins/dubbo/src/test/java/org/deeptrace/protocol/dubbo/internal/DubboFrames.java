package org.deeptrace.protocol.dubbo.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeptrace.protocol.support.hessian.Hessian2Strings;

/** Builds Dubbo frames with Hessian2 bodies the way Dubbo's DubboCodec writes them, for the unit tests. */
final class DubboFrames {
    private DubboFrames() {
    }

    static byte[] frame(int flag, int status, long id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length);
        b.put((byte) 0xda).put((byte) 0xbb).put((byte) flag).put((byte) status).putLong(id).putInt(body.length)
                .put(body);
        return b.array();
    }

    static byte[] request(long id, String service, String version, String method) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "2.0.2");
        writeString(body, service);
        writeString(body, version);
        writeString(body, method);
        writeString(body, "Ljava/lang/String;");
        writeString(body, "world");
        body.write('H'); // attachments map, empty
        body.write('Z');
        return frame(0xc2, 0, id, body.toByteArray());
    }

    static byte[] okResponse(long id) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x94); // RESPONSE_VALUE_WITH_ATTACHMENTS
        writeString(body, "Hello, world");
        body.write('H');
        body.write('Z');
        return frame(0x02, 20, id, body.toByteArray());
    }

    static byte[] exceptionResponse(long id, String exceptionClass) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x93); // RESPONSE_WITH_EXCEPTION_WITH_ATTACHMENTS
        body.write('C');
        writeString(body, exceptionClass);
        body.write(0x91);
        writeString(body, "detailMessage");
        body.write(0x60);
        writeString(body, "boom");
        return frame(0x02, 20, id, body.toByteArray());
    }

    static byte[] errorResponse(long id, int status, String message) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, message);
        return frame(0x02, status, id, body.toByteArray());
    }

    static byte[] heartbeatRequest(long id) {
        return frame(0xe2, 0, id, new byte[] {'N'});
    }

    static byte[] heartbeatResponse(long id) {
        return frame(0x22, 20, id, new byte[] {'N'});
    }

    /** Hessian2 string: null, short (< 32 chars), medium (< 1024) or 'S' chunks; lengths in UTF-16 units. */
    static void writeString(ByteArrayOutputStream out, String s) {
        Hessian2Strings.writeString(out, s);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
