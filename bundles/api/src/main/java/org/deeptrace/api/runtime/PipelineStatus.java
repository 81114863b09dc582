package org.deeptrace.api.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the live pipeline.
 *
 * @param correlator name of the configured correlator
 * @param correlatorAvailable whether a correlator of that name is registered
 * @param sources names of the capture sources feeding the pipeline
 * @param counters every counter, by dotted name ({@code records.in}, {@code drops.queue_full}, ...)
 */
public record PipelineStatus(String host, String correlator, boolean correlatorAvailable, List<String> sources,
        Map<String, Long> counters) {

    /**
     * This status with {@code more} counters added, each under {@code prefix + its name} (a span store's own
     * counters as {@code store.KEY}); this status itself when there are none.
     *
     * @since 1.2
     */
    public PipelineStatus withCounters(String prefix, Map<String, Long> more) {
        if (more == null || more.isEmpty()) {
            return this;
        }
        Map<String, Long> all = new HashMap<>(counters == null ? Map.of() : counters);
        more.forEach((k, v) -> all.put(prefix + k, v));
        return new PipelineStatus(host, correlator, correlatorAvailable, sources, all);
    }
}
