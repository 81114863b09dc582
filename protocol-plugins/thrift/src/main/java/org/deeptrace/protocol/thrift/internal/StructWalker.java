package org.deeptrace.protocol.thrift.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds where a Thrift struct ends without a schema, incrementally: it reads field headers, container headers and
 * lengths (binary or compact encoding) and skips values, so a message of the unframed transport can be delimited.
 * Strings and binaries are skipped by count, never buffered. It also notes the two things the parser wants from
 * a message body: the id of the top-level struct's first field (a reply's result: 0 is success, anything else a
 * declared exception) and, for a {@code TApplicationException}, its message (field 1) and type (field 2).
 *
 * <p>Bounded: nesting depth, string length and container sizes have limits, beyond which the body is declared
 * malformed instead of being trusted.
 */
final class StructWalker implements BodyWalker {

    static final int MAX_DEPTH = 64;
    static final long MAX_STRING = 64L << 20;
    static final long MAX_ELEMENTS = 16L << 20;
    static final int CAPTURE = 256;

    // Canonical (binary protocol) type ids; compact ids are mapped onto them.
    private static final int T_BOOL = 2;
    private static final int T_BYTE = 3;
    private static final int T_DOUBLE = 4;
    private static final int T_I16 = 6;
    private static final int T_I32 = 8;
    private static final int T_I64 = 10;
    private static final int T_STRING = 11;
    private static final int T_STRUCT = 12;
    private static final int T_MAP = 13;
    private static final int T_SET = 14;
    private static final int T_LIST = 15;
    private static final int T_UUID = 16;
    /** compact type id -> canonical id; 0 = invalid. */
    private static final int[] FROM_COMPACT = {0, T_BOOL, T_BOOL, T_BYTE, T_I16, T_I32, T_I64, T_DOUBLE, T_STRING,
        T_LIST, T_SET, T_MAP, T_STRUCT, T_UUID, 0, 0};

    private static final int K_STRUCT = 0;
    private static final int K_LIST = 1;
    private static final int K_MAP = 2;

    // What the next token is.
    private static final int A_FIELD = 1;         // a field header (type byte)
    private static final int A_FIELD_ID = 2;      // binary: 2-byte id; compact: zigzag varint id
    private static final int A_VALUE = 3;         // start the value of pendingType (no bytes needed yet)
    private static final int A_FIXED = 4;         // a fixed-size value: discard (or capture an i32)
    private static final int A_VARINT = 5;        // a compact integer value
    private static final int A_STRLEN = 6;        // string length (binary int32 or compact varint)
    private static final int A_LIST_HEADER = 7;   // binary: type + int32 size; compact: size<<4|type byte
    private static final int A_LIST_SIZE = 8;     // compact: varint size after a 0xF_ list header
    private static final int A_MAP_HEADER = 9;    // binary: key type, value type, int32 size; compact: varint size
    private static final int A_MAP_TYPES = 10;    // compact: key<<4|value type byte

    private boolean compact;
    private boolean stopAtFirstField;
    private boolean captureException;

    // The nesting stack: grown on demand up to MAX_DEPTH (most bodies nest a few levels; a walker per direction of
    // every connection must stay small).
    private int[] kind = new int[8];
    private int[] elemType = new int[8];
    private int[] valueType = new int[8];
    private long[] remaining = new long[8];
    private int[] lastFieldId = new int[8];
    private int[] fieldId = new int[8];
    private int depth;

    private int action;
    private int pendingType;
    private boolean inField;
    private int result;
    private long skip;

    private final byte[] token = new byte[8];
    private int tokenLength;
    private int tokenNeed;
    private long varint;
    private int varintShift;
    private int listHeaderType;
    private int mapKeyType;

    private int firstFieldId;
    private byte[] captured; // allocated by the first exception seen
    private int capturedLength;
    private boolean capturing;
    private Integer exceptionType;
    private boolean sawExceptionMessage;
    private long consumed;

    /**
     * Starts a new top-level struct.
     *
     * @param stopAtFirstField end as soon as the top-level struct's first field header is read (a framed reply:
     *                         the frame length delimits the message; only the result's field id is wanted)
     * @param captureException keep field 1 (string) and field 2 (i32) of the top-level struct
     */
    void reset(boolean compact, boolean stopAtFirstField, boolean captureException) {
        this.compact = compact;
        this.stopAtFirstField = stopAtFirstField;
        this.captureException = captureException;
        depth = 0;
        result = MORE;
        skip = 0;
        firstFieldId = NOT_SEEN;
        capturedLength = 0;
        capturing = false;
        exceptionType = null;
        sawExceptionMessage = false;
        consumed = 0;
        pushStruct();
    }

    /** Consumes bytes from {@code b} up to the struct's end (or the buffer's); returns MORE, DONE or ERROR. */
    @Override
    public int feed(ByteBuffer b) {
        while (result == MORE) {
            if (skip > 0) {
                int n = (int) Math.min(skip, b.remaining());
                if (n == 0) {
                    return MORE;
                }
                if (capturing) {
                    int keep = Math.min(n, CAPTURE - capturedLength);
                    b.get(captured, capturedLength, keep);
                    capturedLength += keep;
                    b.position(b.position() + n - keep);
                } else {
                    b.position(b.position() + n);
                }
                skip -= n;
                consumed += n;
                if (skip == 0) {
                    capturing = false;
                    valueDone();
                }
                continue;
            }
            if (action == A_VALUE) {
                startValue();
                continue;
            }
            if (!b.hasRemaining()) {
                return MORE;
            }
            byte x = b.get();
            consumed++;
            if (tokenNeed > 0) {
                token[tokenLength++] = x;
                if (tokenLength == tokenNeed) {
                    tokenNeed = 0;
                    tokenDone();
                }
            } else {
                varint |= (long) (x & 0x7f) << varintShift;
                varintShift += 7;
                if ((x & 0x80) == 0) {
                    tokenDone();
                } else if (varintShift >= 70) {
                    result = ERROR;
                }
            }
        }
        return result;
    }

    /**
     * Skips {@code length} uncaptured bytes; true when they fell inside a string or fixed-size value being
     * skipped, so the walk goes on in step.
     */
    @Override
    public boolean skipGap(long length) {
        if (result != MORE || skip < length) {
            return false;
        }
        skip -= length;
        consumed += length;
        capturing = false;
        if (skip == 0) {
            valueDone();
        }
        return true;
    }

    /** Bytes consumed since {@link #reset}. */
    @Override
    public long consumed() {
        return consumed;
    }

    /** The top-level struct's first field id, {@link #EMPTY} or {@link #NOT_SEEN}. */
    @Override
    public int firstFieldId() {
        return firstFieldId;
    }

    /** Field 1 of the top-level struct when it was a string and capture was on, else null. */
    @Override
    public String exceptionMessage() {
        return sawExceptionMessage ? new String(captured, 0, capturedLength, StandardCharsets.UTF_8) : null;
    }

    /** Field 2 of the top-level struct when it was an i32 and capture was on, else null. */
    @Override
    public Integer exceptionType() {
        return exceptionType;
    }

    // ---- the state machine

    private void pushStruct() {
        if (!roomToNest()) {
            result = ERROR;
            return;
        }
        kind[depth] = K_STRUCT;
        lastFieldId[depth] = 0;
        fieldId[depth] = 0;
        depth++;
        expectField();
    }

    private void pushContainer(int k, int element, int value, long count) {
        if (count < 0 || count > MAX_ELEMENTS || !validType(element) || (k == K_MAP && !validType(value))) {
            result = ERROR;
            return;
        }
        if (count == 0) {
            valueDone();
            return;
        }
        if (!roomToNest()) {
            result = ERROR;
            return;
        }
        kind[depth] = k;
        elemType[depth] = element;
        valueType[depth] = value;
        remaining[depth] = k == K_MAP ? 2 * count : count;
        depth++;
        nextElement();
    }

    /** Whether one more level fits, growing the stack when needed. */
    private boolean roomToNest() {
        if (depth < kind.length) {
            return true;
        }
        if (depth >= MAX_DEPTH) {
            return false;
        }
        int size = Math.min(MAX_DEPTH, kind.length * 2);
        kind = Arrays.copyOf(kind, size);
        elemType = Arrays.copyOf(elemType, size);
        valueType = Arrays.copyOf(valueType, size);
        remaining = Arrays.copyOf(remaining, size);
        lastFieldId = Arrays.copyOf(lastFieldId, size);
        fieldId = Arrays.copyOf(fieldId, size);
        return true;
    }

    private void nextElement() {
        int top = depth - 1;
        boolean key = kind[top] == K_LIST || remaining[top] % 2 == 0;
        pendingType = key ? elemType[top] : valueType[top];
        inField = false;
        action = A_VALUE;
    }

    private void expectField() {
        action = A_FIELD;
        need(1);
    }

    /** A value (of a field or an element) is complete: move on in the enclosing container. */
    private void valueDone() {
        while (result == MORE) {
            int top = depth - 1;
            if (kind[top] == K_STRUCT) {
                expectField();
                return;
            }
            if (--remaining[top] > 0) {
                nextElement();
                return;
            }
            depth--; // the container is complete: it was a value of its parent
        }
    }

    private void structEnded() {
        depth--;
        if (depth == 0) {
            result = DONE;
        } else {
            valueDone();
        }
    }

    private void startValue() {
        switch (pendingType) {
            case T_BOOL -> {
                if (compact && inField) {
                    valueDone(); // compact bools live in the field header
                } else {
                    fixed(1);
                }
            }
            case T_BYTE -> fixed(1);
            case T_DOUBLE -> fixed(8);
            case T_UUID -> fixed(16);
            case T_I16, T_I32, T_I64 -> {
                if (compact) {
                    action = A_VARINT;
                    needVarint();
                } else {
                    fixed(pendingType == T_I16 ? 2 : pendingType == T_I32 ? 4 : 8);
                }
            }
            case T_STRING -> {
                action = A_STRLEN;
                if (compact) {
                    needVarint();
                } else {
                    need(4);
                }
            }
            case T_STRUCT -> pushStruct();
            case T_LIST, T_SET -> {
                action = A_LIST_HEADER;
                need(compact ? 1 : 5);
            }
            case T_MAP -> {
                action = A_MAP_HEADER;
                if (compact) {
                    needVarint();
                } else {
                    need(6);
                }
            }
            default -> result = ERROR;
        }
    }

    /** A fixed-size value: i32s of binary bodies are read (an exception's type), the others skipped. */
    private void fixed(int size) {
        if (size == 4 && capturesField(2)) {
            action = A_FIXED;
            need(4);
        } else if (size > token.length) {
            skip = size;
        } else {
            action = A_FIXED;
            need(size);
        }
    }

    private boolean capturesField(int id) {
        return captureException && depth == 1 && inField && fieldId[0] == id;
    }

    private void tokenDone() {
        switch (action) {
            case A_FIELD -> fieldHeader(token[0] & 0xff);
            case A_FIELD_ID -> {
                int id = compact ? (int) zigzag(varint) : (short) ((token[0] & 0xff) << 8 | token[1] & 0xff);
                fieldStarted(id);
            }
            case A_FIXED -> {
                if (tokenLength == 4 && capturesField(2) && pendingType == T_I32) {
                    exceptionType = ThriftHeader.int32(token, 0);
                }
                valueDone();
            }
            case A_VARINT -> {
                if (pendingType == T_I32 && capturesField(2)) {
                    exceptionType = (int) zigzag(varint);
                }
                valueDone();
            }
            case A_STRLEN -> {
                long length = compact ? varint : ThriftHeader.int32(token, 0);
                if (length < 0 || length > MAX_STRING) {
                    result = ERROR;
                    return;
                }
                if (capturesField(1)) {
                    if (captured == null) {
                        captured = new byte[CAPTURE];
                    }
                    capturing = true;
                    sawExceptionMessage = true;
                    capturedLength = 0;
                }
                if (length == 0) {
                    capturing = false;
                    valueDone();
                } else {
                    skip = length;
                }
            }
            case A_LIST_HEADER -> {
                if (compact) {
                    int header = token[0] & 0xff;
                    listHeaderType = compactType(header & 0x0f);
                    if ((header >>> 4) == 15) {
                        action = A_LIST_SIZE;
                        needVarint();
                    } else {
                        pushContainer(K_LIST, listHeaderType, 0, header >>> 4);
                    }
                } else {
                    pushContainer(K_LIST, token[0] & 0xff, 0, ThriftHeader.int32(token, 1));
                }
            }
            case A_LIST_SIZE -> pushContainer(K_LIST, listHeaderType, 0, varint > MAX_ELEMENTS ? -1 : varint);
            case A_MAP_HEADER -> {
                if (compact) {
                    if (varint == 0) {
                        valueDone();
                    } else if (varint > MAX_ELEMENTS) {
                        result = ERROR;
                    } else {
                        mapKeyType = (int) varint; // the size, until the types byte arrives
                        action = A_MAP_TYPES;
                        need(1);
                    }
                } else {
                    pushContainer(K_MAP, token[0] & 0xff, token[1] & 0xff, ThriftHeader.int32(token, 2));
                }
            }
            case A_MAP_TYPES -> {
                int types = token[0] & 0xff;
                pushContainer(K_MAP, compactType(types >>> 4), compactType(types & 0x0f), mapKeyType);
            }
            default -> result = ERROR;
        }
    }

    private void fieldHeader(int header) {
        if (header == 0) {
            if (depth == 1 && firstFieldId == NOT_SEEN) {
                firstFieldId = EMPTY;
                if (stopAtFirstField) {
                    result = DONE;
                    return;
                }
            }
            structEnded();
            return;
        }
        if (compact) {
            pendingType = compactType(header & 0x0f);
            int delta = header >>> 4;
            if (pendingType == 0) {
                result = ERROR;
            } else if (delta != 0) {
                fieldStarted(lastFieldId[depth - 1] + delta);
            } else {
                action = A_FIELD_ID;
                needVarint();
            }
        } else {
            pendingType = header;
            if (!validType(header)) {
                result = ERROR;
                return;
            }
            action = A_FIELD_ID;
            need(2);
        }
    }

    private void fieldStarted(int id) {
        int top = depth - 1;
        lastFieldId[top] = id;
        fieldId[top] = id;
        if (depth == 1 && firstFieldId == NOT_SEEN) {
            firstFieldId = id;
            if (stopAtFirstField) {
                result = DONE;
                return;
            }
        }
        inField = true;
        action = A_VALUE;
    }

    private void need(int bytes) {
        tokenNeed = bytes;
        tokenLength = 0;
    }

    private void needVarint() {
        tokenNeed = 0;
        varint = 0;
        varintShift = 0;
    }

    private static int compactType(int id) {
        return FROM_COMPACT[id & 0x0f];
    }

    private static boolean validType(int t) {
        return t == T_BOOL || t == T_BYTE || t == T_DOUBLE || t == T_I16 || t == T_I32 || t == T_I64
                || t == T_STRING || t == T_STRUCT || t == T_MAP || t == T_SET || t == T_LIST || t == T_UUID;
    }

    private static long zigzag(long n) {
        return (n >>> 1) ^ -(n & 1);
    }
}
