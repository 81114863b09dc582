package org.deeptrace.protocol.tls.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a ClientHello or ServerHello body (RFC 8446 section 4.1.2 and 4.1.3, RFC 5246 section 7.4.1): the
 * version (from supported_versions when present), the cipher suite a server chose, SNI and ALPN. Every length is
 * checked against its enclosing one; a body cut short yields what was read before the cut.
 */
final class Hello {
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int EXT_SUPPORTED_VERSIONS = 43;
    /** ServerHello.random of a HelloRetryRequest (RFC 8446 section 4.1.3): SHA-256 of "HelloRetryRequest". */
    private static final byte[] HRR_RANDOM = hex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    int version = -1;
    int cipherSuite = -1;
    String serverName;
    final List<String> alpn = new ArrayList<>();
    boolean helloRetryRequest;

    /** Parses {@code b[from, to)}, the body of a hello (after the 4-byte handshake header). */
    static Hello parse(byte[] b, int from, int to, boolean client) {
        Hello h = new Hello();
        try {
            h.read(new Cursor(b, from, to), client);
        } catch (Cursor.Short e) {
            // A hello cut short: keep what was read.
        }
        return h;
    }

    private void read(Cursor c, boolean client) throws Cursor.Short {
        version = c.u16();
        int randomAt = c.pos;
        c.skip(32);
        if (!client) {
            helloRetryRequest = java.util.Arrays.equals(c.b, randomAt, randomAt + 32, HRR_RANDOM, 0, 32);
        }
        c.skip(c.u8()); // session id
        if (client) {
            c.skip(c.u16()); // cipher suites
            c.skip(c.u8()); // compression methods
        } else {
            cipherSuite = c.u16();
            c.skip(1);
        }
        if (c.remaining() < 2) {
            return; // no extensions (TLS 1.0 style)
        }
        Cursor extensions = c.sub(c.u16());
        while (extensions.remaining() >= 4) {
            int type = extensions.u16();
            Cursor ext = extensions.sub(extensions.u16());
            switch (type) {
                case EXT_SERVER_NAME -> readServerName(ext);
                case EXT_ALPN -> readAlpn(ext);
                case EXT_SUPPORTED_VERSIONS -> readVersions(ext, client);
                default -> {
                }
            }
        }
    }

    private void readServerName(Cursor ext) throws Cursor.Short {
        if (ext.remaining() == 0) {
            return; // a server's empty acknowledgement
        }
        Cursor list = ext.sub(ext.u16());
        while (list.remaining() >= 3) {
            int nameType = list.u8();
            int length = list.u16();
            if (nameType == 0) {
                serverName = list.ascii(length);
                return;
            }
            list.skip(length);
        }
    }

    private void readAlpn(Cursor ext) throws Cursor.Short {
        Cursor list = ext.sub(ext.u16());
        while (list.remaining() >= 1) {
            alpn.add(list.ascii(list.u8()));
        }
    }

    private void readVersions(Cursor ext, boolean client) throws Cursor.Short {
        if (!client) {
            version = ext.u16();
            return;
        }
        Cursor list = ext.sub(ext.u8());
        int best = -1;
        while (list.remaining() >= 2) {
            int v = list.u16();
            if (!TlsNames.isGrease(v) && v > best) {
                best = v;
            }
        }
        if (best >= 0) {
            version = best;
        }
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** A bounds-checked reader over {@code b[pos, end)}. */
    static final class Cursor {
        final byte[] b;
        int pos;
        final int end;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        int u8() throws Short {
            need(1);
            return b[pos++] & 0xff;
        }

        int u16() throws Short {
            need(2);
            int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        void skip(int n) throws Short {
            need(n);
            pos += n;
        }

        Cursor sub(int n) throws Short {
            need(n);
            Cursor c = new Cursor(b, pos, pos + n);
            pos += n;
            return c;
        }

        /** {@code n} bytes as text; bytes outside printable ASCII become '?'. */
        String ascii(int n) throws Short {
            need(n);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                int c = b[pos + i] & 0xff;
                chars[i] = c >= 0x20 && c < 0x7f ? (char) c : '?';
            }
            pos += n;
            return new String(chars);
        }

        private void need(int n) throws Short {
            if (n < 0 || n > end - pos) {
                throw new Short();
            }
        }

        /** Thrown when a length points past the end: the data was cut short or is not what it claims. */
        static final class Short extends Exception {
            private static final long serialVersionUID = 1L;

            Short() {
                super(null, null, false, false);
            }
        }
    }
}
