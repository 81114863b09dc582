package org.deeptrace.correlator.deeptrace.internal;

/**
 * A learned density of a non-negative duration, in quarter-octave bins from 1 µs to about 16 s. Log-scale bins
 * fit latencies, whose spread grows with their size. Memory is fixed: when the total weight passes the cap, all
 * counts are halved, so old observations fade and new behaviour is learned.
 */
final class LogHistogram {
    static final int BINS = 100;
    private static final double PER_OCTAVE = 4;
    private static final double PSEUDO = 0.05;

    private final double[] counts = new double[BINS];
    private final double cap;
    private double total;

    LogHistogram(double cap) {
        this.cap = cap;
    }

    static int bin(long ns) {
        if (ns < 1000) {
            return 0;
        }
        return Math.min(BINS - 1, 1 + (int) (Math.log(ns / 1000.0) * (PER_OCTAVE / Math.log(2))));
    }

    void add(long ns) {
        counts[bin(ns)] += 1;
        total += 1;
        if (total > cap) {
            for (int i = 0; i < BINS; i++) {
                counts[i] *= 0.5;
            }
            total *= 0.5;
        }
    }

    void addAll(LogHistogram other) {
        for (int i = 0; i < BINS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    double total() {
        return total;
    }

    /**
     * Log of the smoothed probability of the bin holding {@code ns}: neighbours share weight (a small kernel) and a
     * pseudo-count keeps unseen bins possible, so one unusual offset is unlikely, never impossible.
     */
    double logDensity(long ns) {
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
