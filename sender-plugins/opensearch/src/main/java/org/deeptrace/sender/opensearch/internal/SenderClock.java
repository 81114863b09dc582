package org.deeptrace.sender.opensearch.internal;

import java.util.function.LongSupplier;

/**
 * The two clocks the sender reads: wall-clock time (retention, {@code timestamp = received}) and the host's
 * monotonic clock, the one eBPF's {@code bpf_ktime_get_ns} and {@link System#nanoTime()} read on Linux
 * ({@code CLOCK_MONOTONIC}). Together they give the wall-clock time of the host's boot, which dates spans captured
 * with the monotonic clock. Tests inject both to play "a day later".
 */
record SenderClock(LongSupplier wallMillis, LongSupplier monotonicNanos) {
    static final SenderClock SYSTEM = new SenderClock(System::currentTimeMillis, System::nanoTime);

    /**
     * Wall-clock nanoseconds at monotonic zero (the host's boot, less any time suspended), rounded to the second:
     * the two clocks are read one after the other and NTP slews the wall clock, so the raw difference moves by
     * microseconds between two starts of the sender; rounded, the same boot gives the same value.
     */
    long bootEpochNs() {
        long diff = wallMillis.getAsLong() * 1_000_000L - monotonicNanos.getAsLong();
        return Math.floorDiv(diff + 500_000_000L, 1_000_000_000L) * 1_000_000_000L;
    }
}
