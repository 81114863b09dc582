package org.deeptrace.correlator.delay.internal;

import org.deeptrace.api.correlation.LogHistogram;

/**
 * What a process has learned about one call edge (a parent endpoint calling a child peer and endpoint): the
 * distribution of the child's start offset ({@code child.start - parent.start}), of its end offset
 * ({@code parent.end - child.end}), and how many such calls one parent makes.
 */
final class EdgeModel {
    static final int MAX_CALLS = 4;
    private static final double CAP = 20_000;
    private static final double DEFAULT_EXTRA_CALL_PENALTY = 3.0;

    final LogHistogram start = new LogHistogram(CAP);
    final LogHistogram end = new LogHistogram(CAP);
    private final double[] calls = new double[MAX_CALLS + 1];
    private double parents;

    void countParent(int children) {
        calls[Math.min(children, MAX_CALLS)] += 1;
        parents += 1;
        if (parents > CAP) {
            for (int i = 0; i < calls.length; i++) {
                calls[i] *= 0.5;
            }
            parents *= 0.5;
        }
    }

    /**
     * Cost (negative log) of a parent that already has {@code slot} children on this edge taking one more:
     * {@code -log P(calls > slot | calls >= slot)}. Unlearned: the first call is free, each further one costs a
     * little, so a parent calling a peer twice stays possible.
     */
    double slotCost(int slot) {
        if (slot >= MAX_CALLS) {
            return Double.POSITIVE_INFINITY;
        }
        if (parents < 10) {
            return slot == 0 ? 0 : DEFAULT_EXTRA_CALL_PENALTY * slot;
        }
        double atLeast = 0;
        for (int n = slot; n <= MAX_CALLS; n++) {
            atLeast += calls[n];
        }
        double more = atLeast - calls[slot];
        return -Math.log((more + 0.1) / (atLeast + 0.2));
    }
}
