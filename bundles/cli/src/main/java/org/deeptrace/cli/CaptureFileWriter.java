package org.deeptrace.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeptrace.api.model.CaptureRecord;

/**
 * Writes capture records (contract section 1) as JSON lines straight into one reused byte buffer, which goes to the
 * file in large writes; the payload is base64-encoded in place. The output is byte for byte what
 * {@code RecordJson.captureRecord} plus a newline would give (CaptureFileWriterTest holds it to that), without its
 * per-record StringBuilder, base64 String, character escaping of the base64 text and charset encoding: at tens of
 * thousands of 1 KiB records per second those were what kept `deeptrace capture` from keeping up.
 *
 * <p>{@link #write} is called by the capture's delivery thread, {@link #flush} by the command's main thread (so the
 * file trails the capture by at most the flush period): both are synchronized, uncontended nearly always.
 */
final class CaptureFileWriter implements Closeable {

    /** Buffered bytes that trigger a write to the file. */
    static final int FLUSH_AT = 256 * 1024;

    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS_NS = ascii("{\"ts_ns\":");
    private static final byte[] ENTER_NS = ascii(",\"enter_ns\":");
    private static final byte[] TGID = ascii(",\"tgid\":");
    private static final byte[] TID = ascii(",\"tid\":");
    private static final byte[] COMM = ascii(",\"comm\":");
    private static final byte[] FD = ascii(",\"fd\":");
    private static final byte[] SYSCALL = ascii(",\"syscall\":");
    private static final byte[] DIRECTION = ascii(",\"direction\":");
    private static final byte[] L4 = ascii(",\"l4\":");
    private static final byte[] LOCAL = ascii(",\"local\":");
    private static final byte[] REMOTE = ascii(",\"remote\":");
    private static final byte[] TCP_SEQ = ascii(",\"tcp_seq\":");
    private static final byte[] SIZE = ascii(",\"size\":");
    private static final byte[] PAYLOAD = ascii(",\"payload_b64\":\"");
    private static final byte[] TRUNCATED_TRUE = ascii("\",\"truncated\":true}\n");
    private static final byte[] TRUNCATED_FALSE = ascii("\",\"truncated\":false}\n");
    /** Field names, punctuation and the numbers (at most 20 characters each) of one record. */
    private static final int FIXED_BYTES = 512;

    private final OutputStream out;
    private byte[] buf = new byte[FLUSH_AT + 16 * 1024];
    private int pos;
    private byte[] payload = new byte[8192];
    private long records;

    CaptureFileWriter(OutputStream out) {
        this.out = out;
    }

    /** Appends one record and its newline; writes to the file when enough is buffered. */
    synchronized void write(CaptureRecord r) throws IOException {
        ByteBuffer p = r.payload();
        int captured = p.remaining();
        int need = FIXED_BYTES + 6 * (r.comm().length() + r.syscall().length() + r.direction().wireName().length()
                + r.l4().wireName().length() + r.local().length() + r.remote().length()) + (captured + 2) / 3 * 4;
        if (pos + need > buf.length) {
            drain();
            if (need > buf.length) {
                buf = new byte[need];
            }
        }
        put(TS_NS);
        number(r.tsNs());
        if (r.hasEnterNs()) {
            put(ENTER_NS);
            number(r.enterNs());
        }
        put(TGID);
        number(r.tgid());
        put(TID);
        number(r.tid());
        put(COMM);
        string(r.comm());
        put(FD);
        number(r.fd());
        put(SYSCALL);
        string(r.syscall());
        put(DIRECTION);
        string(r.direction().wireName());
        put(L4);
        string(r.l4().wireName());
        put(LOCAL);
        string(r.local());
        put(REMOTE);
        string(r.remote());
        if (r.hasTcpSeq()) {
            put(TCP_SEQ);
            number(r.tcpSeq());
        }
        put(SIZE);
        number(r.size());
        put(PAYLOAD);
        if (captured > payload.length) {
            payload = new byte[captured];
        }
        p.get(payload, 0, captured);
        base64(payload, captured);
        put(r.truncated() ? TRUNCATED_TRUE : TRUNCATED_FALSE);
        records++;
        if (pos >= FLUSH_AT) {
            drain();
        }
    }

    /** Records written so far (buffered or in the file). */
    synchronized long records() {
        return records;
    }

    /** Hands everything buffered to the file. */
    synchronized void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            drain();
        } finally {
            out.close();
        }
    }

    private void drain() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }

    private void put(byte[] bytes) {
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                put(ascii(Long.toString(v)));
                return;
            }
            buf[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        pos = end;
    }

    /** A JSON string escaped as RecordJson escapes it, encoded as UTF-8 (a lone surrogate becomes '?'). */
    private void string(String s) {
        byte[] b = buf;
        int at = pos;
        b[at++] = '"';
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '"' -> { b[at++] = '\\'; b[at++] = '"'; }
                    case '\\' -> { b[at++] = '\\'; b[at++] = '\\'; }
                    case '\n' -> { b[at++] = '\\'; b[at++] = 'n'; }
                    case '\r' -> { b[at++] = '\\'; b[at++] = 'r'; }
                    case '\t' -> { b[at++] = '\\'; b[at++] = 't'; }
                    default -> {
                        if (c < 0x20) {
                            b[at++] = '\\';
                            b[at++] = 'u';
                            b[at++] = '0';
                            b[at++] = '0';
                            b[at++] = HEX[c >> 4];
                            b[at++] = HEX[c & 0xf];
                        } else {
                            b[at++] = (byte) c;
                        }
                    }
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xc0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[at++] = (byte) (0xf0 | (cp >> 18));
                b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[at++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                b[at++] = '?';
            } else {
                b[at++] = (byte) (0xe0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        b[at++] = '"';
        pos = at;
    }

    /** RFC 4648 base64 with padding, as {@code Base64.getEncoder()}. */
    private void base64(byte[] src, int len) {
        byte[] b = buf;
        int at = pos;
        int i = 0;
        for (int whole = len - len % 3; i < whole; i += 3) {
            int bits = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
            b[at] = BASE64[bits >>> 18];
            b[at + 1] = BASE64[(bits >>> 12) & 0x3f];
            b[at + 2] = BASE64[(bits >>> 6) & 0x3f];
            b[at + 3] = BASE64[bits & 0x3f];
            at += 4;
        }
        int rest = len - i;
        if (rest == 1) {
            int bits = (src[i] & 0xff) << 16;
            b[at++] = BASE64[bits >>> 18];
            b[at++] = BASE64[(bits >>> 12) & 0x3f];
            b[at++] = '=';
            b[at++] = '=';
        } else if (rest == 2) {
            int bits = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8;
            b[at++] = BASE64[bits >>> 18];
            b[at++] = BASE64[(bits >>> 12) & 0x3f];
            b[at++] = BASE64[(bits >>> 6) & 0x3f];
            b[at++] = '=';
        }
        pos = at;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
