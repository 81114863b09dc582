package org.deeptrace.api.model;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One intercepted syscall (contract section 1): who transferred how many bytes on which socket, and a
 * prefix of those bytes.
 *
 * <p>The payload is held as a read-only buffer; {@link #payload()} hands out independent views, so a
 * record can be shared between threads.
 *
 * @param tsNs time the syscall returned
 * @param enterNs time the syscall was entered, or {@link #ABSENT}
 * @param tcpSeq TCP sequence number of the chunk's first byte (unsigned 32 bit), or {@link #ABSENT}
 * @param size bytes the syscall transferred; may exceed the captured payload when {@code truncated}
 */
public record CaptureRecord(
        long tsNs,
        long enterNs,
        int tgid,
        int tid,
        String comm,
        int fd,
        String syscall,
        Direction direction,
        Transport l4,
        String local,
        String remote,
        long tcpSeq,
        int size,
        ByteBuffer payload,
        boolean truncated) {

    /** Value of the optional numeric fields when the capture did not provide them. */
    public static final long ABSENT = -1;

    public CaptureRecord {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(l4, "l4");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(payload, "payload");
        comm = comm == null ? "" : comm;
        syscall = syscall == null ? "" : syscall;
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        payload = payload.slice().asReadOnlyBuffer();
        if (payload.remaining() > size) {
            throw new IllegalArgumentException(
                    "payload has " + payload.remaining() + " bytes but the syscall transferred only " + size);
        }
    }

    /** A fresh read-only view of the captured bytes. */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /** Number of bytes captured (the payload's length). */
    public int capturedSize() {
        return payload.remaining();
    }

    public boolean hasTcpSeq() {
        return tcpSeq != ABSENT;
    }

    public boolean hasEnterNs() {
        return enterNs != ABSENT;
    }
}
