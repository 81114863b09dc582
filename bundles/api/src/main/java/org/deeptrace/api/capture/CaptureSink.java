package org.deeptrace.api.capture;

import org.deeptrace.api.model.CaptureRecord;

/** Receives capture records, in capture order per socket. */
@FunctionalInterface
public interface CaptureSink {

    /**
     * Hands over one record.
     *
     * @return false when the record was dropped (queue full); the sink counts its own drops
     */
    boolean accept(CaptureRecord record);
}
