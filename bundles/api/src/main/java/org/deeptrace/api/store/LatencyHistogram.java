package org.deeptrace.api.store;

import java.util.Arrays;

/**
 * Counts of durations in log-scale bins: eight per octave (each bin about 9% wide, so a percentile read from it is
 * within about 4.5% of the exact value) from 1 µs to about 18 minutes; bin 0 holds everything below 1 µs, the last
 * bin everything above. Memory is fixed (one {@code long} per bin) whatever the number of observations, and two
 * histograms add up exactly, so stores can keep one per endpoint and merge them per query.
 *
 * <p>Mutable and not thread-safe: confine an instance to one thread, guard it, or hand out {@link #copy()}s.
 */
public final class LatencyHistogram {
    /** Bins per doubling of the duration. */
    public static final int PER_OCTAVE = 8;
    /** Octaves above 1 µs covered by bins of their own. */
    public static final int OCTAVES = 30;
    /** Number of bins: the under-1-µs bin, {@code PER_OCTAVE * OCTAVES} log bins, the overflow bin. */
    public static final int BINS = PER_OCTAVE * OCTAVES + 2;

    private static final double BINS_PER_LN = PER_OCTAVE / Math.log(2);

    private final long[] counts = new long[BINS];
    private long count;
    private long sumNs;
    private long minNs = Long.MAX_VALUE;
    private long maxNs = Long.MIN_VALUE;

    /**
     * The bin a duration falls into.
     *
     * @param ns a duration in nanoseconds; negative ones fall into bin 0
     * @return the bin index, in {@code [0, BINS)}
     */
    public static int bin(long ns) {
        if (ns < 1000) {
            return 0;
        }
        return (int) Math.min(BINS - 1, 1 + (long) (Math.log(ns / 1000.0) * BINS_PER_LN));
    }

    /** The smallest duration, in nanoseconds, of bin {@code i} (0 for bin 0). */
    public static long lowerBoundNs(int i) {
        if (i <= 0) {
            return 0;
        }
        return Math.round(1000 * Math.pow(2, (i - 1) / (double) PER_OCTAVE));
    }

    /** The first duration above bin {@code i}, in nanoseconds ({@link Long#MAX_VALUE} for the last bin). */
    public static long upperBoundNs(int i) {
        return i >= BINS - 1 ? Long.MAX_VALUE : lowerBoundNs(i + 1);
    }

    /** Records one duration in nanoseconds (negative ones count as 0). */
    public void add(long ns) {
        long d = Math.max(0, ns);
        counts[bin(d)]++;
        count++;
        sumNs += d;
        minNs = Math.min(minNs, d);
        maxNs = Math.max(maxNs, d);
    }

    /** Adds every observation of {@code other}, which is not modified. */
    public void addAll(LatencyHistogram other) {
        for (int i = 0; i < BINS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sumNs += other.sumNs;
        minNs = Math.min(minNs, other.minNs);
        maxNs = Math.max(maxNs, other.maxNs);
    }

    /** An independent copy. */
    public LatencyHistogram copy() {
        LatencyHistogram c = new LatencyHistogram();
        c.addAll(this);
        return c;
    }

    /** Observations recorded. */
    public long count() {
        return count;
    }

    /** Observations in bin {@code i}. */
    public long count(int i) {
        return counts[i];
    }

    /** The smallest observation in nanoseconds; 0 when empty. */
    public long minNs() {
        return count == 0 ? 0 : minNs;
    }

    /** The largest observation in nanoseconds; 0 when empty. */
    public long maxNs() {
        return count == 0 ? 0 : maxNs;
    }

    /** The mean observation in nanoseconds; 0 when empty. */
    public long meanNs() {
        return count == 0 ? 0 : sumNs / count;
    }

    /**
     * The duration below which a fraction {@code q} of the observations fall, estimated as the geometric middle of
     * the bin holding it and kept within the observed minimum and maximum.
     *
     * @param q in {@code [0, 1]}
     * @return nanoseconds; 0 when empty
     */
    public long percentileNs(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in [0, 1], not " + q);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        int i = 0;
        for (; i < BINS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                break;
            }
        }
        long estimate;
        if (i == 0) {
            estimate = 500;
        } else if (i == BINS - 1) {
            estimate = maxNs;
        } else {
            estimate = Math.round(Math.sqrt((double) lowerBoundNs(i) * upperBoundNs(i)));
        }
        return Math.max(minNs, Math.min(maxNs, estimate));
    }

    @Override
    public String toString() {
        return "LatencyHistogram[count=" + count + ", p50=" + percentileNs(0.5) + "ns, p99=" + percentileNs(0.99)
                + "ns, nonEmptyBins=" + Arrays.stream(counts).filter(c -> c > 0).count() + "]";
    }
}
