package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.support.CommandException;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.junit.jupiter.api.Test;

class TraceCommandsTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    static Span span(String id, String parent, SpanKind kind, String comm, String endpoint, long start, long end) {
        return new Span(id, parent, TRACE, kind, "h", 7, 7, comm, "HTTP1", Transport.TCP, "1.1.1.1:80", "2.2.2.2:90",
                start, end, 1, 1, endpoint, "GET", endpoint, ResponseStatus.OK, 200, null, null, null);
    }

    @Test
    void tracesTurnsOptionsIntoAQuery() throws Exception {
        TracesCommand c = new TracesCommand();
        c.service = "frontend";
        c.status = "SERVER_ERROR";
        c.minDurationMs = "2.5";
        c.start = "1000";
        c.end = "1970-01-01T00:00:02Z";
        c.tags = List.of("peer:10.0.0.1:80", "kind:server");
        TraceQuery q = c.query();
        assertEquals("frontend", q.service());
        assertEquals(ResponseStatus.SERVER_ERROR, q.status());
        assertEquals(2_500_000, q.minDurationNs());
        assertEquals(Long.MAX_VALUE, q.maxDurationNs());
        assertEquals(1_000_000_000L, q.startNs());
        assertEquals(2_000_000_000L, q.endNs());
        assertEquals(Map.of("remote", "10.0.0.1:80", "kind", "server"), q.tags());
    }

    @Test
    void badOptionsAreNamed() {
        TracesCommand c = new TracesCommand();
        c.start = "yesterday";
        assertTrue(assertThrows(CommandException.class, c::query).getMessage().startsWith("--start"));
        c.start = null;
        c.tags = List.of("colour:red");
        assertTrue(assertThrows(CommandException.class, c::query).getMessage().startsWith("--tag"));
        c.tags = null;
        c.minDurationMs = "x";
        assertTrue(assertThrows(CommandException.class, c::query).getMessage().startsWith("--min-duration"));
    }

    @Test
    void traceIsPrintedAsAnIndentedTree() {
        List<Span> spans = List.of(span("0000000000000001", null, SpanKind.SERVER, "front", "/home", 0, 9_000_000),
                span("0000000000000002", "0000000000000001", SpanKind.CLIENT, "front", "/api", 1_000_000, 5_000_000),
                span("0000000000000003", "0000000000000002", SpanKind.SERVER, "back", "/api", 2_000_000, 4_000_000));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TraceCommand.print(TraceAnalysis.tree(spans), new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("server front/7 HTTP1 /home ok/200  +0.000 ms  9.000 ms"), lines.get(0));
        assertTrue(lines.get(1).startsWith("  client front/7"), lines.get(1));
        assertTrue(lines.get(2).startsWith("    server back/7 HTTP1 /api ok/200  +2.000 ms  2.000 ms"), lines.get(2));
    }

    @Test
    void tracesAndDependenciesPrintTables() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        TracesCommand.print(List.of(new TraceSummary(TRACE, "front", "/home", List.of("back", "front"), 3, 0, 9_000_000,
                true)), ZoneOffset.UTC, out);
        DependenciesCommand.print(List.of(new DependencyLink("front", 1, "back", 2, 10, 2.5, 0.1, 1_000_000, 2_000_000,
                3_000_000)), out);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(TRACE) && text.contains("back,front") && text.contains("9.000"), text);
        assertTrue(text.contains("2.50") && text.contains("10.0") && text.contains("3.000"), text);
    }
}
