package org.deeptrace.protocol.http1.internal;

/**
 * Checks a request line ({@code method SP target SP HTTP/1.x CRLF}) or status line
 * ({@code HTTP/1.x SP ddd [SP reason] CRLF}) one byte at a time, so garbage is rejected at its first bad byte
 * instead of being buffered until a line end that may never come.
 */
final class StartLineValidator {

    static final int MORE = 0;
    static final int DONE = 1;
    static final int INVALID = 2;

    private static final int MAX_METHOD = 24;

    private static final int METHOD = 0;
    private static final int TARGET = 1;
    private static final int VERSION = 2;
    private static final int VERSION_DIGIT = 3;
    private static final int EOL = 4;
    private static final int LF = 5;
    private static final int STATUS_SP = 6;
    private static final int STATUS_CODE = 7;
    private static final int AFTER_CODE = 8;
    private static final int REASON = 9;

    private final boolean request;
    private int state;
    private int count;

    StartLineValidator(boolean request) {
        this.request = request;
        reset();
    }

    void reset() {
        state = request ? METHOD : VERSION;
        count = 0;
    }

    /** Takes the next byte of the line: {@link #MORE}, {@link #DONE} (that byte was the final LF), or {@link #INVALID}. */
    int feed(byte b) {
        switch (state) {
            case METHOD:
                if (b == Ascii.SP && count > 0) {
                    state = TARGET;
                    count = 0;
                    return MORE;
                }
                return Ascii.isTchar(b) && ++count <= MAX_METHOD ? MORE : INVALID;
            case TARGET:
                if (b == Ascii.SP && count > 0) {
                    state = VERSION;
                    count = 0;
                    return MORE;
                }
                count++;
                return Http1Inference.isTargetByte(b) ? MORE : INVALID;
            case VERSION:
                if (b != MessageStart.HTTP_1[count]) {
                    return INVALID;
                }
                if (++count == MessageStart.HTTP_1.length) {
                    state = VERSION_DIGIT;
                }
                return MORE;
            case VERSION_DIGIT:
                state = request ? EOL : STATUS_SP;
                return Ascii.isDigit(b) ? MORE : INVALID;
            case STATUS_SP:
                state = STATUS_CODE;
                count = 0;
                return b == Ascii.SP ? MORE : INVALID;
            case STATUS_CODE:
                if (!Ascii.isDigit(b) || (count == 0 && b == '0')) {
                    return INVALID;
                }
                if (++count == 3) {
                    state = AFTER_CODE;
                }
                return MORE;
            case AFTER_CODE:
                if (b == Ascii.SP) {
                    state = REASON;
                    return MORE;
                }
                return endOfLine(b);
            case REASON:
                if (b == Ascii.CR || b == Ascii.LF) {
                    return endOfLine(b);
                }
                // Any text, including obs-text; control bytes other than HTAB mean this is not a status line.
                return (b & 0xFF) >= 0x20 && b != 0x7F || b == Ascii.HTAB ? MORE : INVALID;
            case EOL:
                return endOfLine(b);
            case LF:
                return b == Ascii.LF ? DONE : INVALID;
            default:
                return INVALID;
        }
    }

    private int endOfLine(byte b) {
        if (b == Ascii.CR) {
            state = LF;
            return MORE;
        }
        return b == Ascii.LF ? DONE : INVALID;
    }
}
