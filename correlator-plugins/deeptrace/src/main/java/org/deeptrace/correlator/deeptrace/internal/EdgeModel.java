package org.deeptrace.correlator.deeptrace.internal;

import org.deeptrace.api.correlation.LogHistogram;

/**
 * What a process has learned about one call edge (parent endpoint → child peer and endpoint): the gap from the
 * previous event inside the parent to the child's start (the parent's start, or the end of the sibling call
 * before it), the gap from the child's end to the next event (the next sibling's start, or the parent's end),
 * and how many such calls one parent makes.
 */
final class EdgeModel {
    static final int MAX_CALLS = 4;
    static final double CAP = 20_000;
    private static final double DEFAULT_EXTRA_CALL_PENALTY = 3.0;

    final LogHistogram previousGap = new LogHistogram(CAP);
    final LogHistogram nextGap = new LogHistogram(CAP);
    final LogHistogram startOffset = new LogHistogram(CAP);
    final LogHistogram endOffset = new LogHistogram(CAP);
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

    /** {@code -log P(calls > slot | calls >= slot)}: the cost of a parent with {@code slot} such calls making one more. */
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
