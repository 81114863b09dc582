package org.deeptrace.protocol.fastcgi.internal;

/**
 * The HTTP status of a CGI response (RFC 3875 section 6.3): the {@code Status:} header if present, 302 for a
 * {@code Location:} header alone, else 200.
 */
final class CgiStatus {
    private CgiStatus() {
    }

    static Integer code(byte[] b, int length) {
        boolean location = false;
        int at = 0;
        while (at < length) {
            int end = at;
            while (end < length && b[end] != '\n') {
                end++;
            }
            int lineEnd = end > at && b[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == at) {
                break; // the empty line ends the headers
            }
            if (startsWith(b, at, lineEnd, "status:")) {
                int i = at + 7;
                while (i < lineEnd && (b[i] == ' ' || b[i] == '\t')) {
                    i++;
                }
                int code = 0;
                int digits = 0;
                while (i < lineEnd && digits < 3 && b[i] >= '0' && b[i] <= '9') {
                    code = code * 10 + (b[i++] - '0');
                    digits++;
                }
                return digits == 3 && code >= 100 ? code : null;
            }
            location |= startsWith(b, at, lineEnd, "location:");
            at = end + 1;
        }
        return location ? 302 : 200;
    }

    private static boolean startsWith(byte[] b, int from, int to, String lowerPrefix) {
        if (to - from < lowerPrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
