package org.deeptrace.api.correlation;

import java.util.Objects;

/**
 * A correlator's choice for one client span.
 *
 * @param parentSpanId the chosen server span, or null when none fits
 * @param score confidence in [0, 1]
 * @param candidates how many server spans were eligible
 */
public record Decision(String clientSpanId, String parentSpanId, double score, int candidates) {
    public Decision {
        Objects.requireNonNull(clientSpanId, "clientSpanId");
    }

    public static Decision none(String clientSpanId) {
        return new Decision(clientSpanId, null, 0, 0);
    }
}
