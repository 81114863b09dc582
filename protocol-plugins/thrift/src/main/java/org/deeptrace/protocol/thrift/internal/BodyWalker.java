package org.deeptrace.protocol.thrift.internal;

import java.nio.ByteBuffer;

/**
 * Walks a message body (the struct after the message header) incrementally, without a schema: finds where it ends
 * (for the unframed transport) and notes what the record needs from it: the top-level struct's first field id (a
 * reply's result: 0 is the return value, another id a declared exception) and a {@code TApplicationException}'s
 * message (field 1) and type (field 2). {@link StructWalker} walks binary and compact bodies, {@link JsonWalker}
 * JSON ones.
 */
interface BodyWalker {
    int MORE = 0;
    int DONE = 1;
    int ERROR = 2;

    /** {@link #firstFieldId()} before the top-level struct's first field header was read. */
    int NOT_SEEN = Integer.MIN_VALUE;
    /** {@link #firstFieldId()} of an empty top-level struct (a void reply). */
    int EMPTY = Integer.MIN_VALUE + 1;

    /** Consumes bytes from {@code b} up to the body's end (or the buffer's); returns MORE, DONE or ERROR. */
    int feed(ByteBuffer b);

    /** Skips {@code length} uncaptured bytes; true when the walk can go on in step after them. */
    boolean skipGap(long length);

    /** Bytes consumed since the last reset. */
    long consumed();

    /** The top-level struct's first field id, {@link #EMPTY} or {@link #NOT_SEEN}. */
    int firstFieldId();

    /** Field 1 of the top-level struct when it was a string and capture was on, else null. */
    String exceptionMessage();

    /** Field 2 of the top-level struct when it was an i32 and capture was on, else null. */
    Integer exceptionType();
}
