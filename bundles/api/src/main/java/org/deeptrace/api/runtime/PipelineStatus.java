package org.deeptrace.api.runtime;

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
}
