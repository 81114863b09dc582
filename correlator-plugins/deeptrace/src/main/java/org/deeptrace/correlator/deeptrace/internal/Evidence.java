package org.deeptrace.correlator.deeptrace.internal;

/**
 * A discrete feature of a (client, candidate parent) pair — same thread, overlapping a sibling, a similarity bin —
 * counted separately for chosen parents and for the candidates not chosen. Its weight is learned: the log of the
 * likelihood ratio {@code P(value | parent) / P(value | not parent)}. A feature that proves unreliable in a
 * process (a thread id under goroutines) gets ratios near 1 and stops counting, without configuration.
 */
final class Evidence {
    private static final double PSEUDO = 0.5;

    private final double[] parent;
    private final double[] other;
    private final double cap;
    private double parentTotal;
    private double otherTotal;

    Evidence(int values, double cap) {
        parent = new double[values];
        other = new double[values];
        this.cap = cap;
    }

    /**
     * Starts from prior pseudo-observations, so a first window bootstrapped from a poor assignment cannot turn the
     * feature's meaning around; real observations soon outweigh them.
     */
    Evidence(double[] parentPrior, double[] otherPrior, double cap) {
        this(parentPrior.length, cap);
        for (int i = 0; i < parentPrior.length; i++) {
            parent[i] = parentPrior[i];
            other[i] = otherPrior[i];
            parentTotal += parentPrior[i];
            otherTotal += otherPrior[i];
        }
    }

    Evidence copy(double newCap) {
        Evidence e = new Evidence(parent.length, newCap);
        e.addAll(this);
        return e;
    }

    void addAll(Evidence o) {
        for (int i = 0; i < parent.length; i++) {
            parent[i] += o.parent[i];
            other[i] += o.other[i];
        }
        parentTotal += o.parentTotal;
        otherTotal += o.otherTotal;
    }

    void add(int value, boolean isParent) {
        if (isParent) {
            parent[value] += 1;
            parentTotal += 1;
        } else {
            other[value] += 1;
            otherTotal += 1;
        }
        if (parentTotal + otherTotal > cap) {
            for (int i = 0; i < parent.length; i++) {
                parent[i] *= 0.5;
                other[i] *= 0.5;
            }
            parentTotal *= 0.5;
            otherTotal *= 0.5;
        }
    }

    double logRatio(int value) {
        int n = parent.length;
        return Math.log((parent[value] + PSEUDO) / (parentTotal + PSEUDO * n))
                - Math.log((other[value] + PSEUDO) / (otherTotal + PSEUDO * n));
    }
}
