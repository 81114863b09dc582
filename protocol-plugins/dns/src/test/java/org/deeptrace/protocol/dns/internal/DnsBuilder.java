package org.deeptrace.protocol.dns.internal;

import java.io.ByteArrayOutputStream;

/** Writes DNS messages byte by byte for tests. */
final class DnsBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static DnsBuilder header(int id, int flags, int qd, int an, int ns, int ar) {
        return new DnsBuilder().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    /** A standard query for {@code name} of type {@code qtype}, class IN. */
    static byte[] query(int id, String name, int qtype) {
        return header(id, 0x0100, 1, 0, 0, 0).name(name).u16(qtype).u16(1).bytes();
    }

    /** A response with one answer (compressed name pointing at the question). */
    static byte[] response(int id, int rcode, String name, int qtype) {
        DnsBuilder b = header(id, 0x8180 | rcode, 1, rcode == 0 ? 1 : 0, 0, 0).name(name).u16(qtype).u16(1);
        if (rcode == 0) {
            b.u16(0xC00C).u16(qtype).u16(1).u16(0).u16(60).u16(4).u8(10).u8(0).u8(0).u8(1);
        }
        return b.bytes();
    }

    DnsBuilder name(String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                u8(label.length());
                out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        return u8(0);
    }

    DnsBuilder u8(int v) {
        out.write(v);
        return this;
    }

    DnsBuilder u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    DnsBuilder raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The message behind its 2-byte TCP length. */
    static byte[] tcp(byte[] message) {
        byte[] framed = new byte[message.length + 2];
        framed[0] = (byte) (message.length >>> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        return framed;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
