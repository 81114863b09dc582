package org.deeptrace.correlator.delay.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Everything learned about one process, bounded: at most {@value #MAX_EDGES} edges, LRU. */
final class ProcessModel {
    static final int MAX_EDGES = 1024;
    private static final int MAX_REMEMBERED_PARENTS = 20_000;

    private final Map<String, EdgeModel> edges = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EdgeModel> eldest) {
            return size() > MAX_EDGES;
        }
    };
    /** Parents whose call counts were learned, so a parent spanning windows is counted once. */
    private final Set<String> countedParents = new LinkedHashSet<>();

    EdgeModel edge(String key) {
        return edges.computeIfAbsent(key, k -> new EdgeModel());
    }

    EdgeModel existingEdge(String key) {
        return edges.get(key);
    }

    /** True the first time a parent is seen complete. */
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
}
