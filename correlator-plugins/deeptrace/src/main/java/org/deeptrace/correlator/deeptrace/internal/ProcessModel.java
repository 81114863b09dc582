package org.deeptrace.correlator.deeptrace.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Everything learned about one process, bounded: at most {@value #MAX_EDGES} edges (LRU), capped counts. */
final class ProcessModel {
    static final int MAX_EDGES = 1024;
    static final int SIMILARITY_BINS = 6;
    private static final int MAX_REMEMBERED_PARENTS = 20_000;

    private final Map<String, EdgeModel> edges = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EdgeModel> eldest) {
            return size() > MAX_EDGES;
        }
    };
    private final Set<String> countedParents = new LinkedHashSet<>();
    /** Same thread id (1) or not (0): reliable for thread-per-request servers, noise for event loops. */
    final Evidence thread = new Evidence(2, EdgeModel.CAP);
    /** Whether the thread feature is decisive here: judged from candidate sets, not from the correlator's choices. */
    final ThreadExclusivity threads = new ThreadExclusivity();
    /** Reads and the calls that followed them at once, per endpoint and edge ({@link ReadTriggered}). */
    final ReadTriggered.Memory readTriggered = new ReadTriggered.Memory();
        /** Which endpoints make which calls, from the calls with a single candidate parent. */
    final CallPatterns calls = new CallPatterns();
    /** The child overlaps (1) or not (0) another child of the candidate: sequential callers rarely overlap. */
    final Evidence overlap = new Evidence(2, EdgeModel.CAP);
    /**
     * Persistent-field cosine, binned; the prior says a parent shares more than a stranger (an id forwarded
     * verbatim gives cosine 1) — worth {@value #SIMILARITY_PRIOR} observations on each side.
     */
    final Evidence similarity = new Evidence(scaled(SIMILARITY_PRIOR, 0, 0, 0, 0.1, 0.2, 0.7),
            scaled(SIMILARITY_PRIOR, 0.7, 0.2, 0.1, 0, 0, 0),
            EdgeModel.CAP);

    EdgeModel edge(String key) {
        return edges.computeIfAbsent(key, k -> new EdgeModel());
    }

    EdgeModel existingEdge(String key) {
        return edges.get(key);
    }

    private static double[] scaled(double weight, double... shares) {
        double[] out = shares.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= weight;
        }
        return out;
    }

    boolean firstCount(String parentSpanId) {
        if (!countedParents.add(parentSpanId)) {
            return false;
        }
        if (countedParents.size() > MAX_REMEMBERED_PARENTS) {
            var it = countedParents.iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    static final double SIMILARITY_PRIOR = 20;

    static int similarityBin(double cosine) {
        return Math.min(SIMILARITY_BINS - 1, (int) (cosine * (SIMILARITY_BINS - 1) + 0.5));
    }
}
