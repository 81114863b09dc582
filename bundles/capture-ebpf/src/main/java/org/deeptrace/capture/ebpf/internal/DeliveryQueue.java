package org.deeptrace.capture.ebpf.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.deeptrace.api.model.CaptureRecord;

/**
 * Decoded records between the drain thread and the delivery thread, bounded twice: by count
 * ({@code max_buffered_events}) and by the bytes the records hold, so that a stalled sink cannot take more of the
 * heap than the budget (65,536 records of 4 KiB would be 270 MB, more than a capture JVM's whole heap). The
 * producer waits a little for room (backpressure into the kernel ring buffer); a record that still does not fit is
 * refused, and the caller counts it as a user-space drop. The consumer takes records in
 * batches: one lock round trip and at most one wake-up per batch instead of per record.
 */
final class DeliveryQueue {

    /** What a record costs beyond its payload: the record, its strings and buffers (an estimate). */
    static final int RECORD_OVERHEAD = 256;
    private static final long WAIT_STEP_NANOS = 100_000;

    private final BlockingQueue<CaptureRecord> queue;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();

    DeliveryQueue(int maxRecords, long maxBytes) {
        if (maxBytes < RECORD_OVERHEAD + EventLayout.PAYLOAD_CAP) {
            throw new IllegalArgumentException("the byte budget must hold one record of the largest size: "
                    + maxBytes);
        }
        this.queue = new ArrayBlockingQueue<>(maxRecords);
        this.maxBytes = maxBytes;
    }

    /** The byte budget for this JVM: a quarter of the heap, at least 16 MiB. */
    static long defaultByteBudget() {
        return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    static long cost(CaptureRecord r) {
        return RECORD_OVERHEAD + r.capturedSize();
    }

    /**
     * Enqueues, waiting up to {@code maxWaitNanos} for room: while the drain thread waits, records stay in the
     * kernel ring buffer, which is the larger buffer (records are lost only when both are full). Returns false
     * (the caller counts a drop) when there is still no room after the wait.
     */
    boolean offer(CaptureRecord r, long maxWaitNanos) {
        if (offer(r)) {
            return true;
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(WAIT_STEP_NANOS);
            if (offer(r)) {
                return true;
            }
        }
        return false;
    }

    /** Enqueues unless the count or the byte budget is exhausted; never blocks. */
    boolean offer(CaptureRecord r) {
        long c = cost(r);
        if (bytes.addAndGet(c) > maxBytes) {
            bytes.addAndGet(-c);
            return false;
        }
        if (!queue.offer(r)) {
            bytes.addAndGet(-c);
            return false;
        }
        return true;
    }

    /** Enqueues a marker, waiting for room (the marker holds no bytes). */
    void putMarker(CaptureRecord marker) throws InterruptedException {
        queue.put(marker);
    }

    /** Waits for at least one record, then moves up to {@code max} into {@code into}; returns how many. */
    int takeBatch(List<CaptureRecord> into, int max) throws InterruptedException {
        into.add(queue.take());
        int n = 1 + queue.drainTo(into, max - 1);
        return n;
    }

    /** Gives back the budget of records the consumer is done with. */
    void release(long recordBytes) {
        bytes.addAndGet(-recordBytes);
    }

    long bufferedBytes() {
        return bytes.get();
    }

    int size() {
        return queue.size();
    }
}
