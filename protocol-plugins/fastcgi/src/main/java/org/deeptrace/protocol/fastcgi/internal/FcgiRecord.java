package org.deeptrace.protocol.fastcgi.internal;

/** FastCGI 1.0 record types and header checks (shared by inference and parsing, so both accept the same bytes). */
final class FcgiRecord {
    static final int HEADER = 8;
    static final int VERSION_1 = 1;

    static final int BEGIN_REQUEST = 1;
    static final int ABORT_REQUEST = 2;
    static final int END_REQUEST = 3;
    static final int PARAMS = 4;
    static final int STDIN = 5;
    static final int STDOUT = 6;
    static final int STDERR = 7;
    static final int DATA = 8;
    static final int GET_VALUES = 9;
    static final int GET_VALUES_RESULT = 10;
    static final int UNKNOWN_TYPE = 11;

    static final int ROLE_RESPONDER = 1;
    static final int ROLE_AUTHORIZER = 2;
    static final int ROLE_FILTER = 3;

    private FcgiRecord() {
    }

    /**
     * Whether {@code b[at, at + 8)} is a plausible record header: version 1, a known type, and a request id of 0
     * exactly for the management records.
     */
    static boolean plausibleHeader(byte[] b, int at) {
        int type = b[at + 1] & 0xff;
        if ((b[at] & 0xff) != VERSION_1 || type < BEGIN_REQUEST || type > UNKNOWN_TYPE) {
            return false;
        }
        boolean management = type == GET_VALUES || type == GET_VALUES_RESULT || type == UNKNOWN_TYPE;
        return management == (requestId(b, at) == 0);
    }

    static int requestId(byte[] b, int at) {
        return (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    static int contentLength(byte[] b, int at) {
        return (b[at + 4] & 0xff) << 8 | b[at + 5] & 0xff;
    }

    static int paddingLength(byte[] b, int at) {
        return b[at + 6] & 0xff;
    }
}
