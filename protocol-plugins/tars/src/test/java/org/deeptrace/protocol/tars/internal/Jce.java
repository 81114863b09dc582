package org.deeptrace.protocol.tars.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A tiny JCE writer for the tests, and Tars packets built with it. */
final class Jce {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Jce head(int tag, int type) {
        if (tag < 15) {
            out.write(tag << 4 | type);
        } else {
            out.write(0xF0 | type);
            out.write(tag);
        }
        return this;
    }

    Jce number(int tag, long v) {
        if (v == 0) {
            return head(tag, JceReader.ZERO);
        }
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            head(tag, JceReader.BYTE);
            out.write((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            head(tag, JceReader.SHORT);
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) v).array());
        } else {
            head(tag, JceReader.INT);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) v).array());
        }
        return this;
    }

    Jce string(int tag, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < 256) {
            head(tag, JceReader.STRING1);
            out.write(b.length);
        } else {
            head(tag, JceReader.STRING4);
            out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        }
        out.writeBytes(b);
        return this;
    }

    Jce bytes(int tag, byte[] b) {
        head(tag, JceReader.SIMPLE_LIST);
        head(0, JceReader.BYTE);
        number(0, b.length);
        out.writeBytes(b);
        return this;
    }

    Jce map(int tag, Map<String, String> m) {
        head(tag, JceReader.MAP);
        number(0, m.size());
        m.forEach((k, v) -> string(0, k).string(1, v));
        return this;
    }

    byte[] packet() {
        byte[] body = out.toByteArray();
        return ByteBuffer.allocate(4 + body.length).putInt(4 + body.length).put(body).array();
    }

    static byte[] request(int id, String servant, String func, int argBytes, Map<String, String> context) {
        return request(1, 0, id, servant, func, argBytes, context);
    }

    static byte[] request(int version, int packetType, int id, String servant, String func, int argBytes,
            Map<String, String> context) {
        return new Jce().number(1, version).number(2, packetType).number(3, 0).number(4, id).string(5, servant)
                .string(6, func).bytes(7, new byte[argBytes]).number(8, 3000).map(9, context).map(10, Map.of())
                .packet();
    }

    static byte[] response(int id, int ret, String desc, int resultBytes) {
        Jce j = new Jce().number(1, 1).number(2, 0).number(3, id).number(4, 0).number(5, ret)
                .bytes(6, new byte[resultBytes]).map(7, Map.of());
        if (desc != null) {
            j.string(8, desc);
        }
        return j.map(9, Map.of()).packet();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
