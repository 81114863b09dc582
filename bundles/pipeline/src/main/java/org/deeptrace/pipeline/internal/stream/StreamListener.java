package org.deeptrace.pipeline.internal.stream;

import java.nio.ByteBuffer;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;

/** Receives one connection's byte streams in order, as chunks and gaps with stream offsets. */
public interface StreamListener {

    /** Captured bytes of {@code record} starting at stream {@code offset}. */
    void data(Direction direction, long offset, ByteBuffer bytes, CaptureRecord record);

    /** {@code length} bytes at {@code offset} were transferred but not captured; -1 when unknown. */
    void gap(Direction direction, long offset, long length);
}
