package org.deeptrace.capture.files.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opening input files, gzip or not. */
final class InputFiles {
    private InputFiles() {
    }

    /** The file's content, decompressed when it starts with the gzip magic number. */
    static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Index of the first byte that is not JSON whitespace, or -1. */
    static int firstNonWhitespace(byte[] head) {
        for (int i = 0; i < head.length; i++) {
            byte b = head[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code needle} (ASCII) occurs in {@code head}. */
    static boolean contains(byte[] head, String needle) {
        outer:
        for (int i = 0; i + needle.length() <= head.length; i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (head[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
