package org.deeptrace.protocol.tls.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes TLS records and hellos byte by byte for tests. */
final class TlsBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] record(int type, int version, byte[] body) {
        return new TlsBuilder().u8(type).u16(version).u16(body.length).raw(body).bytes();
    }

    static byte[] handshake(int type, byte[] body) {
        return new TlsBuilder().u8(type).u24(body.length).raw(body).bytes();
    }

    /** A ClientHello body offering {@code versions} (supported_versions), with SNI and ALPN when not null. */
    static byte[] clientHello(String sni, String[] alpn, int... versions) {
        TlsBuilder ext = new TlsBuilder();
        if (sni != null) {
            byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
            ext.u16(0).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).raw(name);
        }
        if (alpn != null) {
            TlsBuilder list = new TlsBuilder();
            for (String p : alpn) {
                list.u8(p.length()).raw(p.getBytes(StandardCharsets.US_ASCII));
            }
            byte[] l = list.bytes();
            ext.u16(16).u16(l.length + 2).u16(l.length).raw(l);
        }
        if (versions.length > 0) {
            ext.u16(43).u16(1 + 2 * versions.length).u8(2 * versions.length);
            for (int v : versions) {
                ext.u16(v);
            }
        }
        byte[] e = ext.bytes();
        return new TlsBuilder().u16(0x0303).raw(new byte[32]).u8(0).u16(4).u16(0x1301).u16(0xC02F).u8(1).u8(0)
                .u16(e.length).raw(e).bytes();
    }

    /** A ServerHello body choosing {@code suite}, with supported_versions when {@code version} is 0x0304. */
    static byte[] serverHello(int suite, int version, byte[] random) {
        TlsBuilder ext = new TlsBuilder();
        if (version == 0x0304) {
            ext.u16(43).u16(2).u16(0x0304);
        }
        byte[] e = ext.bytes();
        return new TlsBuilder().u16(0x0303).raw(random).u8(0).u16(suite).u8(0).u16(e.length).raw(e).bytes();
    }

    TlsBuilder u8(int v) {
        out.write(v);
        return this;
    }

    TlsBuilder u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    TlsBuilder u24(int v) {
        out.write(v >>> 16);
        return u16(v & 0xffff);
    }

    TlsBuilder raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
