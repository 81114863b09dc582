package org.deeptrace.protocol.http2.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds HTTP/2 frames and simple HPACK blocks (literals, optionally indexed) for tests. */
final class Frames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Frames client() {
        Frames f = new Frames();
        f.out.writeBytes(Http2Frames.PREFACE);
        return f.settings();
    }

    static Frames server() {
        return new Frames().settings();
    }

    static Frames none() {
        return new Frames();
    }

    Frames frame(int type, int flags, int stream, byte[] payload) {
        int len = payload.length;
        out.write(len >>> 16);
        out.write(len >>> 8);
        out.write(len);
        out.write(type);
        out.write(flags);
        out.write(stream >>> 24);
        out.write(stream >>> 16);
        out.write(stream >>> 8);
        out.write(stream);
        out.writeBytes(payload);
        return this;
    }

    Frames settings() {
        return frame(Http2Frames.SETTINGS, 0, 0, new byte[] {0, 3, 0, 0, 0, 100});
    }

    Frames headers(int stream, boolean endStream, String... nameValues) {
        return frame(Http2Frames.HEADERS, Http2Frames.FLAG_END_HEADERS | (endStream ? 1 : 0), stream,
                block(nameValues));
    }

    Frames data(int stream, boolean endStream, int length) {
        return frame(Http2Frames.DATA, endStream ? 1 : 0, stream, new byte[length]);
    }

    Frames rst(int stream) {
        return frame(Http2Frames.RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8});
    }

    Frames goaway(int lastStream) {
        return frame(Http2Frames.GOAWAY, 0, 0, new byte[] {(byte) (lastStream >>> 24), (byte) (lastStream >>> 16),
            (byte) (lastStream >>> 8), (byte) lastStream, 0, 0, 0, 0});
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    /** Literal header fields with incremental indexing, new names, no Huffman. */
    static byte[] block(String... nameValues) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.write(0x40);
            string(b, nameValues[i]);
            string(b, nameValues[i + 1]);
        }
        return b.toByteArray();
    }

    static void string(ByteArrayOutputStream b, String s) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        if (v.length < 127) {
            b.write(v.length);
        } else {
            b.write(127);
            int rest = v.length - 127;
            while (rest >= 128) {
                b.write((rest & 0x7f) | 0x80);
                rest >>>= 7;
            }
            b.write(rest);
        }
        b.writeBytes(v);
    }
}
