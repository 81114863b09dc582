package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.junit.jupiter.api.Test;

class SpanTableTest {

    @Test
    void wallClockTimestampsAreShownAsDateTimeInTheGivenZone() {
        // 2024-03-01T12:34:56.789123456Z
        long ns = 1_709_296_496_789_123_456L;
        assertEquals("2024-03-01 12:34:56.789", SpanTable.startTime(ns, ZoneOffset.UTC));
        assertEquals("2024-03-01 13:34:56.789", SpanTable.startTime(ns, ZoneId.of("Europe/Paris")));
    }

    @Test
    void monotonicTimestampsAreShownAsSecondsSinceBoot() {
        assertEquals("12.345678s", SpanTable.startTime(12_345_678_901L, ZoneOffset.UTC));
        assertEquals("0.000001s", SpanTable.startTime(1_000L, ZoneOffset.UTC));
        assertEquals("0.000000s", SpanTable.startTime(0L, ZoneOffset.UTC));
    }

    @Test
    void durationIsMillisecondsWithThreeDecimals() {
        assertEquals("12.500", SpanTable.durationMs(12_500_000L));
        assertEquals("0.001", SpanTable.durationMs(1_000L));
        assertEquals("0.000", SpanTable.durationMs(0L));
        assertEquals("1500.000", SpanTable.durationMs(1_500_000_000L));
    }

    @Test
    void outcomeCombinesStatusAndCode() {
        assertEquals("ok/200", SpanTable.outcome(Fakes.span("a", null, 0, 1, ResponseStatus.OK, 200)));
        assertEquals("unknown", SpanTable.outcome(Fakes.span("a", null, 0, 1, ResponseStatus.UNKNOWN, null)));
        assertEquals("503", SpanTable.outcome(Fakes.span("a", null, 0, 1, null, 503)));
        assertEquals("-", SpanTable.outcome(Fakes.span("a", null, 0, 1, null, null)));
    }

    @Test
    void processIsCommSlashPid() {
        assertEquals("nginx/4242", SpanTable.process(Fakes.span("a", null, 0, 1, null, null)));
    }

    @Test
    void printsOneRowPerSpanInTheGivenOrder() {
        Span newer = Fakes.span("bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa", 3_000_000_000L, 3_002_000_000L,
                ResponseStatus.SERVER_ERROR, 500);
        Span older = Fakes.span("aaaaaaaaaaaaaaaa", null, 1_000_000_000L, 1_250_000_000L, ResponseStatus.OK, 200);
        Fakes.Output out = new Fakes.Output();

        SpanTable.print(List.of(newer, older), ZoneOffset.UTC, out.stream);

        List<String> lines = out.lines();
        assertEquals(4, lines.size(), out.text());
        assertTrue(lines.get(0).contains("Start") && lines.get(0).contains("Parent ID"), lines.get(0));
        String first = lines.get(2);
        for (String cell : List.of("3.000000s", "client", "nginx/4242", "HTTP1", "/orders", "server_error/500",
                "2.000", "bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa")) {
            assertTrue(first.contains(cell), "missing " + cell + " in " + first);
        }
        assertTrue(lines.get(3).contains("250.000") && lines.get(3).contains("ok/200"), lines.get(3));
    }

    @Test
    void saysSoWhenThereAreNoSpans() {
        Fakes.Output out = new Fakes.Output();
        SpanTable.print(List.of(), ZoneOffset.UTC, out.stream);
        assertTrue(out.text().contains("no spans"), out.text());
    }
}
