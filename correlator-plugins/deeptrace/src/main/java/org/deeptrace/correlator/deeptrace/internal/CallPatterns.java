package org.deeptrace.correlator.deeptrace.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which parent endpoints make which calls, learned only from calls that had a single candidate parent — the
 * certain cases, whatever the correlator later decides. Under load a self-trained model can lock onto a wrong
 * pattern (a FIFO bootstrap giving a cache write to a read-only endpoint) and keep it; these counts cannot drift,
 * so the prior they give keeps endpoints that were never seen making a call from taking it, once that call has
 * been seen often enough from others. Bounded: at most {@value #MAX_EDGES} edges (least recently used go first).
 */
final class CallPatterns {
    static final int MAX_EDGES = 1024;
    /** Certain observations of a call before its prior counts. */
    static final double MIN_CERTAIN = 20;
    /** The strongest penalty the prior gives (an endpoint never seen making the call): about 1 in 400. */
    static final double FLOOR = -6;
    private static final double CAP = 20_000;

    private final Map<String, Double> byEdge = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > MAX_EDGES;
        }
    };
    private final Map<String, Double> byChild = new HashMap<>();

    /** A call of kind {@code childKey} whose only candidate parent served {@code parentEndpoint}. */
    void observeCertain(String parentEndpoint, String childKey) {
        byEdge.merge(edge(parentEndpoint, childKey), 1.0, Double::sum);
        double total = byChild.merge(childKey, 1.0, Double::sum);
        if (total > CAP) {
            byChild.replaceAll((k, v) -> k.equals(childKey) ? v * 0.5 : v);
            String suffix = " -> " + childKey;
            byEdge.replaceAll((k, v) -> k.endsWith(suffix) ? v * 0.5 : v);
        }
        if (byChild.size() > MAX_EDGES) {
            byChild.keySet().removeIf(k -> byEdge.keySet().stream().noneMatch(e -> e.endsWith(" -> " + k)));
        }
    }

    /**
     * Log prior that a {@code parentEndpoint} request makes a {@code childKey} call: the share of the call's certain
     * observations it accounts for, between {@link #FLOOR} and 0; 0 while the call has been seen too rarely.
     */
    double logPrior(String parentEndpoint, String childKey) {
        double total = byChild.getOrDefault(childKey, 0.0);
        if (total < MIN_CERTAIN) {
            return 0;
        }
        double n = byEdge.getOrDefault(edge(parentEndpoint, childKey), 0.0);
        return Math.max(FLOOR, Math.log((n + 1) / (total + 1)));
    }

    private static String edge(String parentEndpoint, String childKey) {
        return parentEndpoint + " -> " + childKey;
    }
}
