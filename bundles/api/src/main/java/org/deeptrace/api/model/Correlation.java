package org.deeptrace.api.model;

import java.util.Objects;

/**
 * Why a span got its parent: which correlator chose, how sure it was, and among how many candidates.
 *
 * @param score confidence in [0, 1]
 * @param candidates number of server spans the correlator could have chosen from
 */
public record Correlation(String algorithm, double score, int candidates) {
    public Correlation {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be within [0, 1]: " + score);
        }
    }
}
