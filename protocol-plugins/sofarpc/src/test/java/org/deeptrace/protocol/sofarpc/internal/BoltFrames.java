package org.deeptrace.protocol.sofarpc.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds Bolt commands the way sofa-bolt's RpcCommandEncoder (v1) and RpcCommandEncoderV2 write them. */
final class BoltFrames {
    static final String REQUEST_CLASS = "com.alipay.sofa.rpc.core.request.SofaRequest";
    static final String RESPONSE_CLASS = "com.alipay.sofa.rpc.core.response.SofaResponse";

    private BoltFrames() {
    }

    static byte[] headerMap(String... keyValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : keyValues) {
            if (s == null) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
                continue;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    static byte[] request(int proto, int id, byte[] headers, byte[] content) {
        byte[] cls = REQUEST_CLASS.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(24 + cls.length + headers.length + content.length);
        b.put((byte) proto);
        if (proto == 2) {
            b.put((byte) 1); // ver1
        }
        b.put((byte) 1).putShort((short) 1).put((byte) 1).putInt(id).put((byte) 1);
        if (proto == 2) {
            b.put((byte) 0); // switch: no CRC
        }
        b.putInt(3000).putShort((short) cls.length).putShort((short) headers.length).putInt(content.length);
        b.put(cls).put(headers).put(content);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] sofaRequest(int id, String service, String method, String traceId) {
        return request(1, id, headerMap(SofaMessages.TARGET_SERVICE, service, SofaMessages.METHOD, method,
                "protocol", "bolt", SofaMessages.TRACE_ID, traceId), new byte[] {'O', (byte) 0x90});
    }

    static byte[] response(int proto, int id, int status, byte[] headers, byte[] content, boolean crc) {
        byte[] cls = RESPONSE_CLASS.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(26 + cls.length + headers.length + content.length);
        b.put((byte) proto);
        if (proto == 2) {
            b.put((byte) 1);
        }
        b.put((byte) 0).putShort((short) 2).put((byte) 1).putInt(id).put((byte) 1);
        if (proto == 2) {
            b.put((byte) (crc ? 1 : 0));
        }
        b.putShort((short) status).putShort((short) cls.length).putShort((short) headers.length)
                .putInt(content.length);
        b.put(cls).put(headers).put(content);
        if (crc) {
            b.putInt(0x12345678);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] okResponse(int id) {
        return response(1, id, 0, new byte[0], new byte[] {'o', (byte) 0x90, 'F', 'N', 'N', 'N'}, false);
    }

    /** A SofaResponse whose appResponse is a throwable, in sofa-hessian's draft encoding. */
    static byte[] exceptionResponse(int id, String exceptionClass) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        draftClass(c, RESPONSE_CLASS, "isError", "errorMsg", "appResponse", "responseProps");
        c.write('o');
        c.write(0x90);
        c.write('F');
        c.write('N');
        draftClass(c, exceptionClass, "detailMessage", "cause", "stackTrace");
        c.write('o');
        c.write(0x91);
        return response(1, id, 0, headerMap(SofaMessages.RESPONSE_ERROR, "true"), c.toByteArray(), false);
    }

    /** A SofaResponse with isError true and an error message. */
    static byte[] errorResponse(int id, String message) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        draftClass(c, RESPONSE_CLASS, "isError", "errorMsg", "appResponse", "responseProps");
        c.write('o');
        c.write(0x90);
        c.write('T');
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        c.write(0x30 + (message.length() >> 8));
        c.write(message.length() & 0xff);
        c.writeBytes(m);
        return response(1, id, 0, headerMap(SofaMessages.RESPONSE_ERROR, "true"), c.toByteArray(), false);
    }

    static byte[] heartbeat(int id) {
        return ByteBuffer.allocate(22).put((byte) 1).put((byte) 1).putShort((short) 0).put((byte) 1).putInt(id)
                .put((byte) 1).putInt(-1).putShort((short) 0).putShort((short) 0).putInt(0).array();
    }

    static byte[] heartbeatAck(int id) {
        return ByteBuffer.allocate(20).put((byte) 1).put((byte) 0).putShort((short) 0).put((byte) 1).putInt(id)
                .put((byte) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).array();
    }

    private static void draftClass(ByteArrayOutputStream c, String name, String... fields) {
        c.write('O');
        c.write(0x90 + name.length());
        c.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        c.write(0x90 + fields.length);
        for (String f : fields) {
            c.write(f.length());
            c.writeBytes(f.getBytes(StandardCharsets.US_ASCII));
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
