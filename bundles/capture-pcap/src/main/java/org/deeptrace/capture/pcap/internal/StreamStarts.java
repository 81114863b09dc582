package org.deeptrace.capture.pcap.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.CaptureRecord;

/**
 * Makes each TCP direction whose handshake was captured begin with its first byte.
 *
 * <p>The pipeline orders a direction's records by {@code tcp_seq} relative to the first record it sees: a segment
 * captured before the stream's first segment (reordered on the wire, or the first one retransmitted) would
 * otherwise start the stream and the bytes before it would count as old. A SYN tells where the stream starts (its
 * sequence number plus one), so segments ahead of the start are held back until the start arrives, then handed
 * on in sequence order. Everything after the start is left to the pipeline. Without a SYN nothing is held.
 *
 * <p>Bounded: at most {@link #MAX_HELD} segments or {@link #MAX_HOLD_NS} of capture time per direction; then
 * what is held goes on in sequence order, and the missing start is a loss the pipeline cannot see.
 */
final class StreamStarts {
    static final int MAX_HELD = 64;
    static final long MAX_HOLD_NS = 1_000_000_000L;
    private static final long SEQ_MOD = 1L << 32;
    private static final long HALF = 1L << 31;

    private final Map<String, Direction> directions = new HashMap<>();

    /** A SYN (or SYN+ACK) from {@code p.src()}: its direction's stream starts at its sequence number plus one. */
    List<CaptureRecord> syn(Packet p) {
        Direction old = directions.put(key(p), new Direction((p.seq() + 1) % SEQ_MOD));
        return old == null ? List.of() : old.flush();
    }

    /** The records to hand on now, in order, after {@code r} (a segment of {@code p}) was captured. */
    List<CaptureRecord> offer(Packet p, CaptureRecord r) {
        Direction d = directions.get(key(p));
        if (d == null || d.started) {
            return List.of(r);
        }
        long ahead = Math.floorMod(r.tcpSeq() - d.start, SEQ_MOD);
        if (ahead == 0 || ahead >= HALF) {
            d.started = true;
            List<CaptureRecord> out = new ArrayList<>(d.held.size() + 1);
            out.add(r);
            out.addAll(d.flush());
            return out;
        }
        d.held.add(r);
        if (d.held.size() >= MAX_HELD || r.tsNs() - d.held.get(0).tsNs() > MAX_HOLD_NS) {
            d.started = true;
            return d.flush();
        }
        return List.of();
    }

    /** End of the file: everything still held, direction by direction, in sequence order. */
    List<CaptureRecord> drain() {
        List<CaptureRecord> out = new ArrayList<>();
        for (Direction d : directions.values()) {
            out.addAll(d.flush());
        }
        directions.clear();
        return out;
    }

    private static String key(Packet p) {
        return p.src() + ">" + p.dst();
    }

    /** One direction waiting for its first segment. */
    private static final class Direction {
        final long start;
        final List<CaptureRecord> held = new ArrayList<>();
        boolean started;

        Direction(long start) {
            this.start = start;
        }

        List<CaptureRecord> flush() {
            List<CaptureRecord> out = new ArrayList<>(held);
            out.sort(Comparator.comparingLong(r -> Math.floorMod(r.tcpSeq() - start, SEQ_MOD)));
            held.clear();
            return out;
        }
    }
}
