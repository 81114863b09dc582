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
    /** Log-odds against a parent making one more call of a kind than it already did, before any is learned. */
    static final double EXTRA_CALL_PENALTY = 8.0;
    /** Weight of that prior, in parents. */
    static final double PRIOR_PARENTS = 10;
    /** The prior's share of parents with {@code slot} such calls that make one more. */
    private static final double[] PRIOR_MORE = new double[MAX_CALLS];

    static {
        for (int slot = 0; slot < MAX_CALLS; slot++) {
            PRIOR_MORE[slot] = Math.exp(-EXTRA_CALL_PENALTY * slot);
        }
    }

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

    /**
     * {@code -log P(calls > slot | calls >= slot)}: the cost of a parent with {@code slot} such calls making one
     * more. The counts are blended with {@value #PRIOR_PARENTS} prior parents that make a further call of a kind
     * with probability {@code exp(-EXTRA_CALL_PENALTY * slot)}: one call of a kind per parent is the rule until
     * the data shows otherwise. The prior's strength is what a few hundred parents that never made a second call
     * teach ({@code -log(0.1 / 300)}), so the cost does not drop when the first learned parents arrive.
     */
    double slotCost(int slot) {
        if (slot >= MAX_CALLS) {
            return Double.POSITIVE_INFINITY;
        }
        double atLeast = 0;
        for (int n = slot; n <= MAX_CALLS; n++) {
            atLeast += calls[n];
        }
        double more = atLeast - calls[slot];
        return -Math.log((more + PRIOR_PARENTS * PRIOR_MORE[slot]) / (atLeast + PRIOR_PARENTS));
    }
}
