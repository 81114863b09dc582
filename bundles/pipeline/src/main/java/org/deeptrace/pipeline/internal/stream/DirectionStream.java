package org.deeptrace.pipeline.internal.stream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.pipeline.internal.core.Counters;

/**
 * Puts the records of one direction of one socket into stream order. With TCP sequence numbers, records are
 * ordered by them: retransmitted or overlapping bytes are trimmed, records that arrive early wait (briefly) for
 * the missing ones, and missing bytes become a gap of known length so parsers stay in sync. Without sequence
 * numbers (UDP, or a capture that lacks them) records are taken in arrival order, which is time order.
 */
public final class DirectionStream {
    private static final long SEQ_MOD = 1L << 32;
    private static final long HALF = 1L << 31;
    /** A jump larger than this is not a lost segment but a new stream on the same addresses. */
    static final long MAX_GAP = 64L << 20;
    /**
     * How far the first data byte of a connection that reuses a TIME-WAIT socket's addresses lies past the old
     * connection's last one: Linux gives it the initial sequence number {@code snd_nxt + 65535 + 2} of the old
     * socket (tcp_twsk_unique on the connecting side, tcp_timewait_state_process on the accepting side), and the
     * old FIN and the new SYN take one number each. Loopback clients at a few hundred connections per second
     * reuse their ports within a minute.
     */
    static final long TIME_WAIT_REUSE_JUMP = 65_535 + 2 + 2;
    /** Records that may wait for a missing predecessor before it is declared lost. */
    static final int MAX_WAITING = 64;

    private final Direction direction;
    private final Counters counters;
    private final ChunkIndex index = new ChunkIndex();
    private final List<CaptureRecord> waiting = new ArrayList<>();
    private long nextSeq = -1;
    private long offset;

    public DirectionStream(Direction direction, Counters counters) {
        this.direction = direction;
        this.counters = counters;
    }

    /** Adds one record; delivers it (and any records it unblocks) to the listener when it is next in order. */
    public void add(CaptureRecord r, StreamListener listener) {
        if (!r.hasTcpSeq()) {
            deliver(r, 0, listener);
            return;
        }
        if (nextSeq < 0) {
            nextSeq = r.tcpSeq();
        }
        long ahead = distance(nextSeq, r.tcpSeq());
        if (ahead == 0) {
            deliver(r, 0, listener);
            drainWaiting(listener);
        } else if (ahead < HALF) {
            if (ahead > MAX_GAP) {
                counters.increment("stream.resets");
                listener.gap(direction, offset, -1);
                nextSeq = r.tcpSeq();
                deliver(r, 0, listener);
                drainWaiting(listener);
            } else {
                counters.increment("stream.out_of_order");
                waiting.add(r);
                if (waiting.size() > MAX_WAITING) {
                    releaseWaiting(listener);
                }
            }
        } else {
            long behind = SEQ_MOD - ahead;
            if (behind >= r.size()) {
                counters.increment("stream.duplicates");
            } else {
                counters.increment("stream.overlaps");
                deliver(r, (int) behind, listener);
                drainWaiting(listener);
            }
        }
    }

    /**
     * Whether {@code r} begins a new connection on the same addresses rather than continuing this stream: its
     * sequence number lies exactly where a reused TIME-WAIT socket's would, or too far from the stream's for lost
     * or repeated segments (a new connection's initial sequence number is random otherwise).
     */
    public boolean startsNewConnection(CaptureRecord r) {
        if (!r.hasTcpSeq() || nextSeq < 0) {
            return false;
        }
        long ahead = distance(nextSeq, r.tcpSeq());
        if (ahead < HALF) {
            return ahead == TIME_WAIT_REUSE_JUMP || ahead > MAX_GAP;
        }
        return SEQ_MOD - ahead > MAX_GAP; // far behind: no retransmission or MSG_PEEK reaches back that far
    }

    /** Removes and returns the records waiting for a missing predecessor (they may be a new connection's). */
    public List<CaptureRecord> takeWaiting() {
        List<CaptureRecord> taken = new ArrayList<>(waiting);
        waiting.clear();
        return taken;
    }

    /** Whether records wait for a missing predecessor. */
    public boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /** Capture time of the oldest waiting record, or Long.MAX_VALUE. */
    public long oldestWaitingTs() {
        long min = Long.MAX_VALUE;
        for (CaptureRecord r : waiting) {
            min = Math.min(min, r.tsNs());
        }
        return min;
    }

    /** Declares the bytes before the earliest waiting record lost and delivers everything waiting. */
    public void releaseWaiting(StreamListener listener) {
        while (!waiting.isEmpty()) {
            CaptureRecord next = nearestWaiting();
            long missing = distance(nextSeq, next.tcpSeq());
            if (missing > 0 && missing < HALF) {
                counters.increment("stream.gaps");
                counters.add("stream.gap_bytes", missing);
                listener.gap(direction, offset, missing);
                offset += missing;
                nextSeq = next.tcpSeq();
            }
            drainWaiting(listener);
        }
    }

    public long offset() {
        return offset;
    }

    public long timestampAt(long streamOffset) {
        return index.timestampAt(streamOffset);
    }

    public int tidAt(long streamOffset) {
        return index.tidAt(streamOffset);
    }

    /** TCP sequence number of the byte at {@code streamOffset}, or -1 when not captured. */
    public long seqAt(long streamOffset) {
        return index.seqAt(streamOffset);
    }

    /**
     * Forgets records captured before {@code tsNs}. Age, not offset, decides: multiplexed protocols complete
     * messages out of stream order, so a message may still start in an old record.
     */
    public void releaseOlderThan(long tsNs) {
        index.releaseOlderThan(tsNs);
    }

    private void drainWaiting(StreamListener listener) {
        boolean progressed = true;
        while (progressed && !waiting.isEmpty()) {
            progressed = false;
            for (int i = 0; i < waiting.size(); i++) {
                CaptureRecord w = waiting.get(i);
                long ahead = distance(nextSeq, w.tcpSeq());
                if (ahead == 0 || ahead >= HALF) {
                    waiting.remove(i);
                    long behind = ahead == 0 ? 0 : SEQ_MOD - ahead;
                    if (behind >= w.size() && w.size() > 0) {
                        counters.increment("stream.duplicates");
                    } else {
                        deliver(w, (int) behind, listener);
                    }
                    progressed = true;
                    break;
                }
            }
        }
    }

    private CaptureRecord nearestWaiting() {
        CaptureRecord best = waiting.get(0);
        for (CaptureRecord w : waiting) {
            if (distance(nextSeq, w.tcpSeq()) < distance(nextSeq, best.tcpSeq())) {
                best = w;
            }
        }
        return best;
    }

    /** Delivers {@code r} minus its first {@code skip} bytes (already delivered by an earlier record). */
    private void deliver(CaptureRecord r, int skip, StreamListener listener) {
        int size = r.size() - skip;
        index.add(offset, r.tsNs(), r.tid(), r.hasTcpSeq() ? (r.tcpSeq() + skip) % SEQ_MOD : -1);
        ByteBuffer payload = r.payload();
        int captured = payload.remaining();
        if (skip < captured) {
            payload.position(payload.position() + skip);
            listener.data(direction, offset, payload, r);
            captured -= skip;
        } else {
            captured = 0;
        }
        if (size > captured) {
            counters.add("stream.truncated_bytes", size - captured);
            listener.gap(direction, offset + captured, size - captured);
        }
        offset += size;
        if (r.hasTcpSeq()) {
            nextSeq = (r.tcpSeq() + r.size()) % SEQ_MOD;
        }
    }

    /** How far {@code seq} lies ahead of {@code from}, modulo 2^32. */
    private static long distance(long from, long seq) {
        return Math.floorMod(seq - from, SEQ_MOD);
    }
}
