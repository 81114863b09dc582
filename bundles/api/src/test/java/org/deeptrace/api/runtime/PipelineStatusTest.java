package org.deeptrace.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineStatusTest {
    private final PipelineStatus status = new PipelineStatus("h", "fifo", true, List.of("files"),
            Map.of("records.in", 5L));

    @Test
    void addedCountersCarryThePrefixAndTheRestIsKept() {
        PipelineStatus more = status.withCounters("store.", Map.of("federation.queries", 3L));

        assertEquals(Map.of("records.in", 5L, "store.federation.queries", 3L), more.counters());
        assertEquals(new PipelineStatus("h", "fifo", true, List.of("files"), more.counters()), more);
        assertEquals(Map.of("records.in", 5L), status.counters(), "the original is unchanged");
    }

    @Test
    void noCountersToAddIsTheSameStatus() {
        assertSame(status, status.withCounters("store.", Map.of()));
        assertSame(status, status.withCounters("store.", null));
        PipelineStatus none = new PipelineStatus("h", "fifo", true, List.of(), null);
        assertEquals(Map.of("store.a", 1L), none.withCounters("store.", Map.of("a", 1L)).counters());
    }
}
