package org.deeptrace.protocol.brpc.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds baidu_std frames for the tests: a tiny protobuf writer and the 12-byte header. */
final class Frames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Frames varint(int field, long value) {
        tag(field, 0);
        raw(value);
        return this;
    }

    Frames string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Frames bytes(int field, byte[] value) {
        tag(field, 2);
        raw(value.length);
        out.writeBytes(value);
        return this;
    }

    Frames message(int field, Frames nested) {
        return bytes(field, nested.toBytes());
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        raw((long) field << 3 | wireType);
    }

    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    static byte[] frame(byte[] meta, int payloadSize) {
        ByteBuffer b = ByteBuffer.allocate(12 + meta.length + payloadSize);
        b.put("PRPC".getBytes(StandardCharsets.US_ASCII)).putInt(meta.length + payloadSize).putInt(meta.length);
        b.put(meta);
        for (int i = 0; i < payloadSize; i++) {
            b.put((byte) ('a' + i % 26));
        }
        return b.array();
    }

    static byte[] request(long correlationId, String service, String method, int payloadSize) {
        Frames req = new Frames().string(1, service).string(2, method);
        return frame(new Frames().message(1, req).varint(4, correlationId).toBytes(), payloadSize);
    }

    static byte[] response(long correlationId, int errorCode, String errorText, int payloadSize) {
        Frames resp = new Frames();
        if (errorCode != 0) {
            resp.varint(1, errorCode);
        }
        if (errorText != null) {
            resp.string(2, errorText);
        }
        return frame(new Frames().message(2, resp).varint(4, correlationId).toBytes(), payloadSize);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
