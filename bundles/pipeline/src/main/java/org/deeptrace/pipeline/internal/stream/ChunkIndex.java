package org.deeptrace.pipeline.internal.stream;

import java.util.Arrays;

/**
 * Maps stream offsets of one direction back to the capture record that carried them, so a message's first and
 * last byte get exactly the timestamps of their records. Entries are appended in offset order and released by
 * age; the size bound keeps a stream that never ages (one endless message) from growing without limit.
 */
final class ChunkIndex {
    /** Bound on retained entries: a message spanning more records than this maps to the oldest kept one. */
    static final int MAX_ENTRIES = 1 << 14;

    private long[] starts = new long[16];
    private long[] timestamps = new long[16];
    private int[] tids = new int[16];
    /** TCP sequence number of each entry's first byte, or -1 when its record had none. */
    private long[] seqs = new long[16];
    private int head;
    private int size;
    private long evicted;

    void add(long start, long tsNs, int tid, long seq) {
        if (size == MAX_ENTRIES) {
            release(1);
            evicted++;
        }
        if (head + size == starts.length) {
            compactOrGrow();
        }
        int i = head + size;
        starts[i] = start;
        timestamps[i] = tsNs;
        tids[i] = tid;
        seqs[i] = seq;
        size++;
    }

    /** Timestamp of the record holding {@code offset}, or of the nearest record before it (inside a gap). */
    long timestampAt(long offset) {
        int i = indexAt(offset);
        return i < 0 ? Long.MIN_VALUE : timestamps[i];
    }

    /** Thread of the record holding {@code offset}, or 0 when unknown. */
    int tidAt(long offset) {
        int i = indexAt(offset);
        return i < 0 ? 0 : tids[i];
    }

    /**
     * TCP sequence number of the byte at {@code offset}, or -1 when unknown. Both ends of a connection number its
     * bytes alike, so this names one request on both hosts whatever their clocks say.
     */
    long seqAt(long offset) {
        int i = indexAt(offset);
        if (i < 0 || seqs[i] < 0 || offset < starts[i]) {
            return -1;
        }
        return (seqs[i] + offset - starts[i]) & 0xFFFF_FFFFL;
    }

    /** Forgets entries captured before {@code tsNs}, but keeps the newest: a later message may start in it. */
    void releaseOlderThan(long tsNs) {
        int n = 0;
        while (n < size - 1 && timestamps[head + n] < tsNs) {
            n++;
        }
        release(n);
    }

    int size() {
        return size;
    }

    long evicted() {
        return evicted;
    }

    private int indexAt(long offset) {
        if (size == 0) {
            return -1;
        }
        int lo = head;
        int hi = head + size - 1;
        if (offset < starts[lo]) {
            return lo;
        }
        // Last entry whose start <= offset.
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void release(int n) {
        head += n;
        size -= n;
        if (size == 0) {
            head = 0;
        }
    }

    private void compactOrGrow() {
        if (head > starts.length / 2) {
            System.arraycopy(starts, head, starts, 0, size);
            System.arraycopy(timestamps, head, timestamps, 0, size);
            System.arraycopy(tids, head, tids, 0, size);
            System.arraycopy(seqs, head, seqs, 0, size);
            head = 0;
        } else {
            int n = starts.length * 2;
            starts = Arrays.copyOf(starts, n);
            timestamps = Arrays.copyOf(timestamps, n);
            tids = Arrays.copyOf(tids, n);
            seqs = Arrays.copyOf(seqs, n);
        }
    }
}
