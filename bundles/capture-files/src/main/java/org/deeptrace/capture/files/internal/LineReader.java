package org.deeptrace.capture.files.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads '\n'-terminated lines as bytes, without decoding them into Strings. */
final class LineReader {
    /** A longer line is an error, not a reason to exhaust memory. */
    static final int MAX_LINE = 64 << 20;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private int length;
    private long number;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line into {@link #bytes()}; false at end of input. */
    boolean next() throws IOException, InvalidRecordException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (any) {
                        number++;
                    }
                    return any;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++; // the '\n'
                number++;
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return true;
            }
        }
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** 1-based number of the line last read. */
    long number() {
        return number;
    }

    boolean isBlank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void append(int from, int n) throws InvalidRecordException {
        if (length + n > MAX_LINE) {
            throw new InvalidRecordException("line is longer than " + MAX_LINE + " bytes");
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
        }
        System.arraycopy(buf, from, line, length, n);
        length += n;
    }
}
