package org.deeptrace.api.correlation;

/**
 * A learned density of a non-negative duration in nanoseconds, in quarter-octave bins from 1 µs to about 16 s.
 * Log-scale bins fit latencies, whose spread grows with their size. Memory is fixed: when the total weight passes
 * the cap, all counts are halved, so old observations fade and new behaviour is learned.
 *
 * <p>Correlators use it to score how plausible an offset between two spans is (for example a child's start after its
 * parent's start) from the offsets seen before. Mutable by nature (it learns) and not thread-safe: confine an
 * instance to one thread or guard it.
 */
public final class LogHistogram {
    /** The number of bins: bin 0 holds everything below 1 µs, the last bin everything above about 16 s. */
    public static final int BINS = 100;
    private static final double PER_OCTAVE = 4;
    private static final double PSEUDO = 0.05;

    private final double[] counts = new double[BINS];
    private final double cap;
    private double total;

    /**
     * Creates an empty histogram.
     *
     * @param cap the total weight above which all counts are halved ({@link Double#MAX_VALUE} never decays)
     */
    public LogHistogram(double cap) {
        this.cap = cap;
    }

    /**
     * The bin a duration falls into.
     *
     * @param ns a duration in nanoseconds; negative values fall into bin 0
     * @return the bin index, in {@code [0, BINS)}
     */
    public static int bin(long ns) {
        if (ns < 1000) {
            return 0;
        }
        return Math.min(BINS - 1, 1 + (int) (Math.log(ns / 1000.0) * (PER_OCTAVE / Math.log(2))));
    }

    /**
     * Records one observation, halving all counts when the total weight then exceeds the cap.
     *
     * @param ns the observed duration in nanoseconds
     */
    public void add(long ns) {
        counts[bin(ns)] += 1;
        total += 1;
        if (total > cap) {
            for (int i = 0; i < BINS; i++) {
                counts[i] *= 0.5;
            }
            total *= 0.5;
        }
    }

    /**
     * Adds another histogram's counts to this one (to pool what several sources learned). The cap is not applied.
     *
     * @param other the histogram to add; not modified
     */
    public void addAll(LogHistogram other) {
        for (int i = 0; i < BINS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    /**
     * The total weight of the recorded observations, after any halving.
     *
     * @return the sum of all bin counts
     */
    public double total() {
        return total;
    }

    /**
     * Log of the smoothed probability of the bin holding {@code ns}: neighbours share weight (a small kernel) and a
     * pseudo-count keeps unseen bins possible, so one unusual offset is unlikely, never impossible.
     *
     * @param ns a duration in nanoseconds
     * @return a finite, negative log-probability; on an empty histogram {@code log(1 / BINS)}
     */
    public double logDensity(long ns) {
        int b = bin(ns);
        double c = 0.5 * counts[b];
        if (b > 0) {
            c += 0.25 * counts[b - 1];
        }
        if (b < BINS - 1) {
            c += 0.25 * counts[b + 1];
        }
        return Math.log((c + PSEUDO) / (total + PSEUDO * BINS));
    }
}
