package org.deeptrace.protocol.http1.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The recorded traffic in {@code src/test/resources/http1} (see {@code src/test/recording/record.sh}). */
final class Fixtures {

    private Fixtures() {
    }

    /** Bytes one end sent on a recorded connection: {@code bytes("keepalive", "client")}. */
    static byte[] bytes(String name, String side) {
        String resource = "/http1/" + name + "." + side + ".bin";
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] client(String name) {
        return bytes(name, "client");
    }

    static byte[] server(String name) {
        return bytes(name, "server");
    }

    /** Index of the first occurrence of {@code text} at or after {@code from}, or -1. */
    static int indexOf(byte[] bytes, String text, int from) {
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= bytes.length - t.length; i++) {
            for (int k = 0; k < t.length; k++) {
                if (bytes[i + k] != t[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Index just past the empty line that ends the head starting at or after {@code from}. */
    static int endOfHead(byte[] bytes, int from) {
        int i = indexOf(bytes, "\r\n\r\n", from);
        if (i < 0) {
            throw new IllegalArgumentException("no end of head after " + from);
        }
        return i + 4;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
