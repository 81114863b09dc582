package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.runtime.ReplayReport;
import org.junit.jupiter.api.Test;

class ReplaySummaryTest {

    @Test
    void summaryLines() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("records.in", 3208L);
        counters.put("drops.queue_full", 0L);
        counters.put("parser.HTTP1.errors", 2L);
        counters.put("streams.dropped_gaps", 1L);
        counters.put("stream.gaps", 2L);
        counters.put("messages.HTTP1", 2876L);
        ReplayReport report = new ReplayReport(3208, 1, Map.of("Redis", 40L, "HTTP1", 2876L), Map.of("HTTP1", 1438L),
                "fifo", 575, 565, counters);
        ReplayOptions options = new ReplayOptions(List.of(Path.of("in.jsonl")), java.util.Collections.singletonList(null), null, Path.of("s.jsonl"), null, true,
                false);

        assertEquals(List.of(
                "records     3208 read, 1 skipped",
                "messages    HTTP1 2876, Redis 40 (total 2916)",
                "spans       HTTP1 1438",
                "correlator  fifo: 575 client spans decided, 565 parented (98.3%)",
                "problems    parser.HTTP1.errors 2, stream.gaps 2, streams.dropped_gaps 1",
                "spans to    s.jsonl"), ReplaySummary.lines(report, options));
    }

    @Test
    void emptyReplay() {
        ReplayReport report = new ReplayReport(0, 0, Map.of(), Map.of(), "fifo", 0, 0, Map.of());
        ReplayOptions options = new ReplayOptions(List.of(Path.of("in.jsonl")), java.util.Collections.singletonList(null), null, null, null, false, false);

        assertEquals(List.of(
                "records     0 read, 0 skipped",
                "messages    none",
                "spans       none",
                "correlator  fifo: 0 client spans decided, 0 parented"), ReplaySummary.lines(report, options));
    }
}
