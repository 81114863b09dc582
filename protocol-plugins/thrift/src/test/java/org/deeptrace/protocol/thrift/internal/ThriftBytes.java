package org.deeptrace.protocol.thrift.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-encoded Thrift messages for the tests (the encodings as the Thrift specification describes them). */
final class ThriftBytes {
    static final int CALL = 1;
    static final int REPLY = 2;
    static final int EXCEPTION = 3;
    static final int ONEWAY = 4;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static ThriftBytes of() {
        return new ThriftBytes();
    }

    ThriftBytes u8(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    ThriftBytes i16(int v) {
        return u8(v >>> 8 & 0xff, v & 0xff);
    }

    ThriftBytes i32(int v) {
        return u8(v >>> 24, v >>> 16 & 0xff, v >>> 8 & 0xff, v & 0xff);
    }

    ThriftBytes i64(long v) {
        return i32((int) (v >>> 32)).i32((int) v);
    }

    ThriftBytes varint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    ThriftBytes zigzag(long v) {
        return varint(v << 1 ^ v >> 63);
    }

    ThriftBytes text(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** binary: int32 length + bytes. */
    ThriftBytes bstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return i32(b.length).text(s);
    }

    /** compact: varint length + bytes. */
    ThriftBytes cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return varint(b.length).text(s);
    }

    ThriftBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] build() {
        return out.toByteArray();
    }

    static byte[] strict(int type, String name, int seqid, byte[] body) {
        return of().u8(0x80, 0x01, 0x00, type).bstr(name).i32(seqid).bytes(body).build();
    }

    static byte[] old(int type, String name, int seqid, byte[] body) {
        return of().bstr(name).u8(type).i32(seqid).bytes(body).build();
    }

    static byte[] compact(int type, String name, int seqid, byte[] body) {
        return of().u8(0x82, type << 5 | 1).varint(seqid).cstr(name).bytes(body).build();
    }

    static byte[] framed(byte[] message) {
        return of().i32(message.length).bytes(message).build();
    }

    /**
     * A THeader frame: length, magic 0x0FFF, flags 0, seq id, header size in words, then protocol id, transforms,
     * one KEY_VALUE info block (when {@code info} is not empty: key, value, key, value...), zero padding, payload.
     */
    static byte[] theader(int protocolId, int seqid, int[] transforms, byte[] payload, String... info) {
        ThriftBytes h = of().varint(protocolId).varint(transforms.length);
        for (int t : transforms) {
            h.varint(t);
        }
        if (info.length > 0) {
            h.varint(1).varint(info.length / 2);
            for (String s : info) {
                h.cstr(s);
            }
        }
        while (h.out.size() % 4 != 0) {
            h.u8(0);
        }
        byte[] header = h.build();
        return of().i32(10 + header.length + payload.length).u8(0x0f, 0xff, 0, 0).i32(seqid).i16(header.length / 4)
                .bytes(header).bytes(payload).build();
    }

    static byte[] zlib(byte[] data) {
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(data);
        d.finish();
        byte[] out = new byte[data.length + 64];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    /** TJSONProtocol: {@code [1,"name",type,seqid,STRUCT]}. */
    static byte[] json(int type, String name, int seqid, String struct) {
        return of().text("[1,\"" + name + "\"," + type + "," + seqid + "," + struct + "]").build();
    }

    static byte[] concat(byte[]... parts) {
        ThriftBytes t = of();
        for (byte[] p : parts) {
            t.bytes(p);
        }
        return t.build();
    }

    // ---- bodies, binary encoding

    /** args { 1: list<string> ["a","b"], 2: map<string,i32> {"x": 2}, 3: bool, 4: Inner {1: i32 7}, 5: double,
     * 6: set<i16> {1, 2}, 7: binary (300 bytes) }. */
    static byte[] binaryArgs() {
        return of()
                .u8(15).i16(1).u8(11).i32(2).bstr("a").bstr("b")
                .u8(13).i16(2).u8(11, 8).i32(1).bstr("x").i32(2)
                .u8(2).i16(3).u8(1)
                .u8(12).i16(4).u8(8).i16(1).i32(7).u8(0)
                .u8(4).i16(5).i64(Double.doubleToLongBits(0.5))
                .u8(14).i16(6).u8(6).i32(2).i16(1).i16(2)
                .u8(11).i16(7).bstr("z".repeat(300))
                .u8(0).build();
    }

    static byte[] binaryResultOk() {
        return of().u8(10).i16(0).i64(42).u8(0).build();
    }

    static byte[] binaryResultVoid() {
        return of().u8(0).build();
    }

    /** result { 2: NotFound { 1: string key } }: the second declared exception. */
    static byte[] binaryResultDeclared() {
        return of().u8(12).i16(2).u8(11).i16(1).bstr("missing").u8(0).u8(0).build();
    }

    static byte[] binaryAppException(String message, int type) {
        return of().u8(11).i16(1).bstr(message).u8(8).i16(2).i32(type).u8(0).build();
    }

    // ---- bodies, compact encoding

    /** The same args as {@link #binaryArgs()}. */
    static byte[] compactArgs() {
        return of()
                .u8(0x19, 0x28).cstr("a").cstr("b")
                .u8(0x1b).varint(1).u8(0x85).cstr("x").zigzag(2)
                .u8(0x11)
                .u8(0x1c).u8(0x15).zigzag(7).u8(0)
                .u8(0x17).i64(Double.doubleToLongBits(0.5))
                .u8(0x1a, 0x24).zigzag(1).zigzag(2)
                .u8(0x18).cstr("z".repeat(300))
                .u8(0).build();
    }

    static byte[] compactResultOk() {
        return of().u8(0x06).zigzag(0).zigzag(42).u8(0).build();
    }

    static byte[] compactResultDeclared() {
        return of().u8(0x1c).u8(0x18).cstr("missing").u8(0).u8(0).build();
    }

    static byte[] compactAppException(String message, int type) {
        return of().u8(0x18).cstr(message).u8(0x15).zigzag(type).u8(0).build();
    }
}
