package org.deeptrace.protocol.thrift.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds where a TJSONProtocol message ends, incrementally: after the header {@code [1,"name",type,seqid,} come
 * the message's struct, an object {@code {"1":{"str":"..."},...}}, and the closing {@code ]}. Brackets are
 * balanced (objects against arrays, nesting bounded), strings are skipped with their escapes, and nothing is
 * buffered: the walk holds a few counters whatever the message's size. Bytes JSON does not allow outside strings
 * (Thrift's JSON writers emit no whitespace either, but it is tolerated) end the walk with {@link #ERROR}.
 *
 * <p>Like {@link StructWalker} it notes the struct's first field id (the keys of a Thrift JSON struct are its
 * field ids) and, for an exception, field 1's string and field 2's number.
 */
final class JsonWalker implements BodyWalker {
    static final int MAX_DEPTH = 64;
    static final int CAPTURE = 256;

    private boolean stopAtFirstField;
    private boolean captureException;

    /** Bit i set: nesting level i+1 is an object (else an array). Level 1 is the message array. */
    private long objects;
    private int depth;
    private boolean structSeen;
    private boolean inString;
    private boolean escape;
    private int unicodeLeft;
    private boolean afterColon;
    private int result;
    private long consumed;

    /** The field id (key) being read at level 2, and the current field of the struct. */
    private boolean inKey;
    private long key;
    private boolean keyNegative;
    private int keyDigits;
    private int field;

    private int firstFieldId;
    private byte[] captured;
    private int capturedLength;
    private boolean capturing;
    private boolean sawExceptionMessage;
    private boolean inNumber;
    private boolean numberNegative;
    private long number;
    private int numberDigits;
    private Integer exceptionType;

    void reset(boolean stopAtFirstField, boolean captureException) {
        this.stopAtFirstField = stopAtFirstField;
        this.captureException = captureException;
        objects = 0;
        depth = 1; // the message array, opened by the header
        structSeen = false;
        inString = false;
        escape = false;
        unicodeLeft = 0;
        afterColon = false;
        result = MORE;
        consumed = 0;
        inKey = false;
        field = -1;
        firstFieldId = NOT_SEEN;
        capturedLength = 0;
        capturing = false;
        sawExceptionMessage = false;
        inNumber = false;
        exceptionType = null;
    }

    @Override
    public int feed(ByteBuffer b) {
        while (result == MORE && b.hasRemaining()) {
            int c = b.get() & 0xff;
            consumed++;
            if (inString) {
                string(c);
            } else {
                syntax(c);
            }
        }
        return result;
    }

    private void string(int c) {
        if (escape) {
            escape = false;
            if (c == 'u') {
                unicodeLeft = 4;
                keep('?');
            } else {
                keep(switch (c) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> c; // \" \\ \/
                });
            }
            return;
        }
        if (unicodeLeft > 0) {
            unicodeLeft--;
            return;
        }
        if (c == '\\') {
            escape = true;
        } else if (c == '"') {
            stringEnded();
        } else if (c < 0x20) {
            result = ERROR; // JSON has no raw control bytes in strings
        } else if (inKey) {
            if (c == '-' && keyDigits == 0 && !keyNegative) {
                keyNegative = true; // fields declared without an id get negative ones
            } else if (c < '0' || c > '9' || ++keyDigits > 5) {
                result = ERROR; // a Thrift JSON struct's keys are field ids (i16)
            } else {
                key = key * 10 + c - '0';
            }
        } else {
            keep(c);
        }
    }

    private void keep(int c) {
        if (capturing && capturedLength < CAPTURE) {
            captured[capturedLength++] = (byte) c;
        }
    }

    private void stringEnded() {
        inString = false;
        capturing = false;
        if (!inKey) {
            return;
        }
        inKey = false;
        if (keyDigits == 0) {
            result = ERROR;
            return;
        }
        field = (int) (keyNegative ? -key : key);
        if (firstFieldId == NOT_SEEN) {
            firstFieldId = field;
            if (stopAtFirstField) {
                result = DONE;
            }
        }
    }

    private void syntax(int c) {
        if (inNumber && !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
            numberEnded();
        }
        switch (c) {
            case ' ', '\t', '\n', '\r' -> {
            }
            case '{', '[' -> open(c == '{');
            case '}', ']' -> close(c == '}');
            case '"' -> {
                if (!structSeen || depth == 1) {
                    result = ERROR;
                    return;
                }
                inString = true;
                inKey = depth == 2 && !afterColon;
                key = 0;
                keyNegative = false;
                keyDigits = 0;
                if (depth == 3 && afterColon && field == 1 && captureException) {
                    if (captured == null) {
                        captured = new byte[CAPTURE];
                    }
                    capturing = true;
                    capturedLength = 0;
                    sawExceptionMessage = true;
                }
            }
            case ':' -> afterColon = true;
            case ',' -> afterColon = false;
            case '-', '+', '.', 'e', 'E', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number(c);
            default -> result = ERROR;
        }
    }

    private void number(int c) {
        if (!structSeen || depth == 1) {
            result = ERROR;
            return;
        }
        if (!inNumber) {
            inNumber = true;
            numberNegative = false;
            number = 0;
            numberDigits = 0;
        }
        if (c == '-' && numberDigits == 0) {
            numberNegative = true;
        } else if (c >= '0' && c <= '9') {
            if (++numberDigits <= 11) {
                number = number * 10 + c - '0';
            }
        }
    }

    private void numberEnded() {
        inNumber = false;
        if (depth == 3 && afterColon && field == 2 && captureException && numberDigits > 0 && numberDigits <= 10) {
            long v = numberNegative ? -number : number;
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                exceptionType = (int) v;
            }
        }
    }

    private void open(boolean object) {
        if (depth == 1) {
            if (structSeen || !object) {
                result = ERROR; // the message array holds one struct after its header
                return;
            }
            structSeen = true;
        }
        if (depth >= MAX_DEPTH) {
            result = ERROR;
            return;
        }
        if (object) {
            objects |= 1L << depth;
        } else {
            objects &= ~(1L << depth);
        }
        depth++;
        afterColon = false;
    }

    private void close(boolean object) {
        boolean isObject = depth > 1 && (objects & 1L << (depth - 1)) != 0;
        if (object != isObject || depth == 1 && !structSeen) {
            result = ERROR; // ] closing an object, } closing an array, or ] before the struct
            return;
        }
        if (depth == 2 && firstFieldId == NOT_SEEN) {
            firstFieldId = EMPTY;
            if (stopAtFirstField) {
                result = DONE;
                return;
            }
        }
        depth--;
        afterColon = false;
        if (depth == 0) {
            result = DONE;
        }
    }

    @Override
    public boolean skipGap(long length) {
        return false; // a string's end is a quote, not a count: after a hole nothing says where the walk is
    }

    @Override
    public long consumed() {
        return consumed;
    }

    @Override
    public int firstFieldId() {
        return firstFieldId;
    }

    @Override
    public String exceptionMessage() {
        return sawExceptionMessage ? new String(captured, 0, capturedLength, StandardCharsets.UTF_8) : null;
    }

    @Override
    public Integer exceptionType() {
        return exceptionType;
    }
}
