package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;
import org.deeptrace.api.runtime.ReplayReport;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.junit.jupiter.api.Test;

class ViewsTest {

    private static Map<String, Long> unsorted() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("spans.out", 40L);
        counters.put("drops.queue_full", 3L);
        counters.put("records.in", 1200L);
        return counters;
    }

    private static int lineOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + text + ": " + lines);
    }

    @Test
    void statusShowsHostCorrelatorSourcesAndSortedCounters() {
        Fakes.Output out = new Fakes.Output();

        StatusView.print(new PipelineStatus("node-1", "fifo", true, List.of("ebpf", "files"), unsorted()), out.stream);

        List<String> lines = out.lines();
        assertEquals("Host       : node-1", lines.get(0));
        assertEquals("Correlator : fifo (available)", lines.get(1));
        assertEquals("Sources    : ebpf, files", lines.get(2));
        int drops = lineOf(lines, "drops.queue_full");
        int records = lineOf(lines, "records.in");
        int spans = lineOf(lines, "spans.out");
        assertTrue(drops < records && records < spans, out.text());
        assertTrue(lines.get(records).strip().endsWith("1200"), lines.get(records));
    }

    /** A store with no spans and the given counters ({@code null}: it fails to give them). */
    private static SpanStore storeWithCounters(Map<String, Long> counters) {
        return new SpanStore() {
            @Override
            public List<Span> find(SpanQuery query) {
                return List.of();
            }

            @Override
            public List<Span> trace(String traceId) {
                return List.of();
            }

            @Override
            public long size() {
                return 0;
            }

            @Override
            public List<TraceSummary> traces(TraceQuery query) {
                return List.of();
            }

            @Override
            public List<DependencyLink> dependencies(long startNs, long endNs) {
                return List.of();
            }

            @Override
            public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
                return List.of();
            }

            @Override
            public Map<String, Long> storeCounters() {
                if (counters == null) {
                    throw new IllegalStateException("closed");
                }
                return counters;
            }
        };
    }

    @Test
    void statusShowsTheStoresCountersUnderStore() {
        Fakes.Output out = new Fakes.Output();
        PipelineStatus status = new PipelineStatus("node-1", "fifo", true, List.of(), unsorted());

        StatusView.print(StatusView.withStoreCounters(status, storeWithCounters(Map.of("federation.queries", 7L,
                "federation.agent.a.requests", 21L))), out.stream);

        List<String> lines = out.lines();
        int spans = lineOf(lines, "spans.out");
        int requests = lineOf(lines, "store.federation.agent.a.requests");
        int queries = lineOf(lines, "store.federation.queries");
        assertTrue(spans < requests && requests < queries, out.text());
        assertTrue(lines.get(queries).strip().endsWith("7"), lines.get(queries));
        assertEquals(status, StatusView.withStoreCounters(status, storeWithCounters(null)));
        assertEquals(status, StatusView.withStoreCounters(status, null));
    }

    @Test
    void statusSaysWhenTheCorrelatorIsMissing() {
        Fakes.Output out = new Fakes.Output();

        StatusView.print(new PipelineStatus(null, "window", false, List.of(), Map.of()), out.stream);

        List<String> lines = out.lines();
        assertEquals("Host       : -", lines.get(0));
        assertTrue(lines.get(1).startsWith("Correlator : window (NOT available"), lines.get(1));
        assertEquals("Sources    : none", lines.get(2));
        assertTrue(out.text().contains("no counters"), out.text());
    }

    @Test
    void pluginsAreSortedByName() {
        Fakes.Output out = new Fakes.Output();

        PluginTable.print(List.of(new PluginInfo("window", "org.example.window", "2.0.0", false),
                new PluginInfo("fifo", "org.deeptrace.correlator.fifo", "0.1.0", true)), "none", out.stream);

        List<String> lines = out.lines();
        assertTrue(lines.get(0).contains("Name") && lines.get(0).contains("Active"), lines.get(0));
        int fifo = lineOf(lines, "fifo");
        int window = lineOf(lines, "window");
        assertTrue(fifo < window, out.text());
        assertTrue(lines.get(fifo).contains("org.deeptrace.correlator.fifo") && lines.get(fifo).contains("yes"));
        assertTrue(lines.get(window).contains("2.0.0") && lines.get(window).strip().endsWith("no"));
    }

    @Test
    void emptyPluginListSaysSo() {
        Fakes.Output out = new Fakes.Output();
        PluginTable.print(List.of(), "no span sender registered", out.stream);
        assertTrue(out.text().contains("no span sender registered"), out.text());
    }

    @Test
    void replayReportMergesProtocolsAndShowsCorrelation() {
        Fakes.Output out = new Fakes.Output();
        ReplayReport report = new ReplayReport(1000, 2, Map.of("HTTP1", 40L, "DNS", 6L), Map.of("HTTP1", 20L),
                "fifo", 8, 6, unsorted());

        ReplayReportView.print(report, out.stream);

        List<String> lines = out.lines();
        assertEquals("Records    : 1000 read, 2 skipped", lines.get(0));
        assertEquals("Correlator : fifo, 6 of 8 client spans parented (75.0%)", lines.get(1));
        int dns = lineOf(lines, "DNS");
        int http = lineOf(lines, "HTTP1");
        assertTrue(dns < http, out.text());
        assertTrue(lines.get(dns).matches(".*DNS\\W+6\\W+0\\s*"), lines.get(dns));
        assertTrue(lines.get(http).matches(".*HTTP1\\W+40\\W+20\\s*"), lines.get(http));
        assertTrue(lineOf(lines, "drops.queue_full") < lineOf(lines, "spans.out"), out.text());
    }

    @Test
    void percentIsOmittedWithoutClientSpans() {
        assertEquals("", ReplayReportView.percent(0, 0));
        assertEquals(" (33.3%)", ReplayReportView.percent(1, 3));
    }

    @Test
    void pluginNamesAreDistinctAndSorted() {
        assertEquals(List.of("HTTP1", "Redis"), PluginNames.of(List.of(new PluginInfo("Redis", "b", "1", true),
                new PluginInfo("HTTP1", "a", "1", true), new PluginInfo("Redis", "c", "2", false))));
    }
}
