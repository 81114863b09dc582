package ${package}.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeptrace.api.protocol.Origin;

/**
 * The header line that starts every message of the example protocol, parsed from bytes. One ASCII line, fields
 * separated by one space, ended by CRLF, followed by {@code length} bytes of body:
 * <pre>
 * REQ id verb resource length      a request  (REQ 7 GET /users/42?fields=name 0)
 * RES id code length               a response (RES 7 404 21)
 * </pre>
 * {@code id} (up to 10 digits) is chosen by the client and repeated in the response: the server may answer
 * out of order. {@code verb} is 1 to 16 upper-case letters, {@code resource} 1 to 1024 visible ASCII characters,
 * {@code code} three digits (HTTP-like: 2xx success, 4xx the client's fault, 5xx the server's).
 *
 * <p>One instance per stream direction, reused for every message: the parser allocates only the Strings that
 * end up in a message record.
 */
final class HeaderLine {
    /** Longest header line accepted, CRLF included; anything longer is not this protocol. */
    static final int MAX_LENGTH = 1100;
    /** Largest body accepted: a bigger announced length is garbage, not a message. */
    static final long MAX_BODY = 16L * 1024 * 1024;
    static final int MAX_VERB = 16;
    static final int MAX_RESOURCE = 1024;
    private static final int MAX_ID_DIGITS = 10;
    private static final int MAX_LENGTH_DIGITS = 9;

    /** Which end sent the message: a request line comes from the client, a response line from the server. */
    Origin sender;
    long id;
    String verb;
    String resource;
    int code;
    long bodyLength;

    /**
     * The end whose message starts at {@code b[from]}: {@code CLIENT} for {@code "REQ "}, {@code SERVER} for
     * {@code "RES "}, {@code null} for anything else (also for fewer than four bytes).
     */
    static Origin magic(ByteBuffer b, int from, int limit) {
        if (limit - from < 4 || b.get(from) != 'R' || b.get(from + 1) != 'E' || b.get(from + 3) != ' ') {
            return null;
        }
        byte third = b.get(from + 2);
        return third == 'Q' ? Origin.CLIENT : third == 'S' ? Origin.SERVER : null;
    }

    /**
     * Parses {@code line[0, length)}, the header line up to but excluding its {@code \n}.
     *
     * @return {@code null} when the line is a valid header, else a short reason (it names a counter)
     */
    String parse(byte[] line, int length) {
        if (length < 2 || line[length - 1] != '\r') {
            return "bad line end";
        }
        int end = length - 1;
        if (end < 4 || line[0] != 'R' || line[1] != 'E' || line[3] != ' ') {
            return "bad header";
        }
        boolean request;
        if (line[2] == 'Q') {
            request = true;
        } else if (line[2] == 'S') {
            request = false;
        } else {
            return "bad header";
        }
        int i = 4;
        int next = field(line, i, end);
        id = number(line, i, next, MAX_ID_DIGITS);
        if (id < 0) {
            return "bad id";
        }
        i = next + 1;
        if (request) {
            next = field(line, i, end);
            if (next - i < 1 || next - i > MAX_VERB || !upperCase(line, i, next)) {
                return "bad verb";
            }
            verb = new String(line, i, next - i, StandardCharsets.US_ASCII);
            i = next + 1;
            next = field(line, i, end);
            if (next - i < 1 || next - i > MAX_RESOURCE || !visible(line, i, next)) {
                return "bad resource";
            }
            resource = new String(line, i, next - i, StandardCharsets.US_ASCII);
            code = 0;
        } else {
            next = field(line, i, end);
            long c = next - i == 3 ? number(line, i, next, 3) : -1;
            if (c < 100 || c > 599) {
                return "bad code";
            }
            code = (int) c;
            verb = null;
            resource = null;
        }
        i = next + 1;
        next = field(line, i, end);
        bodyLength = next == end ? number(line, i, next, MAX_LENGTH_DIGITS) : -1;
        if (bodyLength < 0 || bodyLength > MAX_BODY) {
            return "bad length";
        }
        sender = request ? Origin.CLIENT : Origin.SERVER;
        return null;
    }

    /** Index of the space that ends the field starting at {@code from}, or {@code end}. */
    private static int field(byte[] b, int from, int end) {
        int i = Math.min(from, end);
        while (i < end && b[i] != ' ') {
            i++;
        }
        return i;
    }

    /** The decimal number in {@code b[from, to)}, or -1 when it is empty, too long or not all digits. */
    private static long number(byte[] b, int from, int to, int maxDigits) {
        if (to <= from || to - from > maxDigits) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static boolean upperCase(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 'A' || b[i] > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] <= 0x20 || b[i] >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
