package org.deeptrace.sender.opensearch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Span;
import org.deeptrace.sender.opensearch.internal.SenderSettings.TimestampSource;
import org.junit.jupiter.api.Test;

class SpanDocumentsTest {
    private static final long NOW = 1_764_028_800_000L; // 2025-11-25T00:00:00Z

    @Test
    void entryIsAnIndexActionKeyedBySpanIdAndTheContractRecordWithTimestamp() {
        Span span = TestSpans.synthetic(0xfeed, 1, 1_700_000_000_123_456_789L).get(0);
        String entry = new String(new SpanDocuments("deeptrace-spans-", TimestampSource.AUTO, () -> NOW).entry(span),
                StandardCharsets.UTF_8);
        String[] lines = entry.split("\n", -1);
        assertEquals(3, lines.length, entry);
        assertEquals("", lines[2]);
        assertEquals("{\"index\":{\"_index\":\"deeptrace-spans-2023.11.14\",\"_id\":\"000000000000feed\"}}", lines[0]);
        String record = RecordJson.span(span);
        assertEquals(record.substring(0, record.length() - 1)
                + ",\"@timestamp\":1700000000123,\"duration_ns\":250000}", lines[1]);
    }

    @Test
    void aMonotonicStartIsDatedByArrivalUnlessStartNsIsAskedFor() {
        Span boot = TestSpans.rps100().get(0);
        assertTrue(boot.startNs() < SpanDocuments.WALL_CLOCK_FLOOR_NS);
        SpanDocuments auto = new SpanDocuments("p-", TimestampSource.AUTO, () -> NOW);
        assertEquals(NOW, auto.timestampMillis(boot));
        assertEquals("p-2025.11.25", auto.index(auto.timestampMillis(boot)));
        SpanDocuments start = new SpanDocuments("p-", TimestampSource.START_NS, () -> NOW);
        assertEquals(boot.startNs() / 1_000_000L, start.timestampMillis(boot));
        assertEquals("p-1970.01.28", start.index(start.timestampMillis(boot)));
        Span wall = TestSpans.synthetic(1, 1, 1_700_000_000_000_000_000L).get(0);
        assertEquals(NOW, new SpanDocuments("p-", TimestampSource.RECEIVED, () -> NOW).timestampMillis(wall));
    }
}
