package org.deeptrace.sender.opensearch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Span;
import org.deeptrace.sender.opensearch.internal.SenderSettings.TimestampSource;
import org.junit.jupiter.api.Test;

class SpanDocumentsTest {
    private static final long NOW = 1_764_028_800_000L; // 2025-11-25T00:00:00Z
    /** The host booted 10 days before NOW: the monotonic clock reads 10 days. */
    private static final long UPTIME_NS = 10 * 86_400_000_000_000L;
    private static final SenderClock CLOCK = new SenderClock(() -> NOW, () -> UPTIME_NS);

    @Test
    void entryIsAnIndexActionKeyedBySpanIdAndTheContractRecordWithTimestamp() {
        Span span = TestSpans.synthetic(0xfeed, 1, 1_700_000_000_123_456_789L).get(0);
        String entry = new String(new SpanDocuments("deeptrace-spans-", TimestampSource.AUTO, CLOCK).entry(span),
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
    void aMonotonicStartIsDatedFromTheHostsBootUnlessStartNsOrReceivedIsAskedFor() {
        Span boot = TestSpans.rps100().get(0); // 2,408,374 s (27.9 days) after its host booted
        assertTrue(boot.startNs() < SpanDocuments.WALL_CLOCK_FLOOR_NS);
        SpanDocuments auto = new SpanDocuments("p-", TimestampSource.AUTO, CLOCK);
        long bootMillis = NOW - UPTIME_NS / 1_000_000L;
        assertEquals(bootMillis + boot.startNs() / 1_000_000L, auto.timestampMillis(boot));
        assertEquals("p-2025.12.12", auto.index(auto.timestampMillis(boot)));
        SpanDocuments start = new SpanDocuments("p-", TimestampSource.START_NS, CLOCK);
        assertEquals(boot.startNs() / 1_000_000L, start.timestampMillis(boot));
        assertEquals("p-1970.01.28", start.index(start.timestampMillis(boot)));
        Span wall = TestSpans.synthetic(1, 1, 1_700_000_000_000_000_000L).get(0);
        assertEquals(NOW, new SpanDocuments("p-", TimestampSource.RECEIVED, CLOCK).timestampMillis(wall));
    }

    @Test
    void aSpanSentAgainADayLaterGoesToTheSameIndexUnlessDatedByArrival() {
        Span monotonic = TestSpans.rps100().get(0);
        Span wall = TestSpans.synthetic(1, 1, 1_700_000_000_000_000_000L).get(0);
        long day = 86_400_000L;
        // a day later on the same host: both clocks moved on by a day (plus read jitter of a few microseconds)
        SenderClock later = new SenderClock(() -> NOW + day, () -> UPTIME_NS + day * 1_000_000L + 3_000L);
        for (TimestampSource source : new TimestampSource[] {TimestampSource.AUTO, TimestampSource.START_NS}) {
            for (Span s : new Span[] {monotonic, wall}) {
                assertEquals(line0(new SpanDocuments("p-", source, CLOCK).entry(s)),
                        line0(new SpanDocuments("p-", source, later).entry(s)), source + " " + s);
            }
        }
        assertNotEquals(line0(new SpanDocuments("p-", TimestampSource.RECEIVED, CLOCK).entry(wall)),
                line0(new SpanDocuments("p-", TimestampSource.RECEIVED, later).entry(wall)));
    }

    @Test
    void theBootTimeIsRoundedToTheSecondSoReadJitterDoesNotMoveIt() {
        long boot = new SenderClock(() -> NOW, () -> UPTIME_NS).bootEpochNs();
        assertEquals(NOW * 1_000_000L - UPTIME_NS, boot);
        assertEquals(boot, new SenderClock(() -> NOW + 1, () -> UPTIME_NS + 1_000_000L - 40_000L).bootEpochNs());
        assertEquals(boot, new SenderClock(() -> NOW - 3, () -> UPTIME_NS - 3_000_000L + 250_000L).bootEpochNs());
    }

    private static String line0(byte[] entry) {
        String s = new String(entry, StandardCharsets.UTF_8);
        return s.substring(0, s.indexOf('\n'));
    }
}
