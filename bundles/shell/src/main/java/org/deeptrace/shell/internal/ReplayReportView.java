package org.deeptrace.shell.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.karaf.shell.support.table.ShellTable;
import org.deeptrace.api.runtime.ReplayReport;

/** Prints what a replay did: totals, messages and spans per protocol, correlation, then every counter. */
final class ReplayReportView {
    private ReplayReportView() {
    }

    static void print(ReplayReport report, PrintStream out) {
        out.println("Records    : " + report.records() + " read, " + report.skipped() + " skipped");
        out.println("Correlator : " + (report.correlator() == null ? "-" : report.correlator()) + ", "
                + report.parented() + " of " + report.clientSpans() + " client spans parented"
                + percent(report.parented(), report.clientSpans()));
        out.println();

        Map<String, Long> messages = orEmpty(report.messagesByProtocol());
        Map<String, Long> spans = orEmpty(report.spansByProtocol());
        ShellTable perProtocol = new ShellTable().emptyTableText("no L7 messages parsed");
        perProtocol.column("Protocol");
        perProtocol.column("Messages").alignRight();
        perProtocol.column("Spans").alignRight();
        TreeSet<String> protocols = new TreeSet<>(messages.keySet());
        protocols.addAll(spans.keySet());
        for (String protocol : protocols) {
            perProtocol.addRow().addContent(protocol, messages.getOrDefault(protocol, 0L),
                    spans.getOrDefault(protocol, 0L));
        }
        perProtocol.print(out);

        Map<String, Long> counters = orEmpty(report.counters());
        if (!counters.isEmpty()) {
            out.println();
            ShellTable table = new ShellTable();
            table.column("Counter");
            table.column("Value").alignRight();
            new TreeMap<>(counters).forEach((name, value) -> table.addRow().addContent(name, value));
            table.print(out);
        }
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100.0 * part / whole);
    }

    private static Map<String, Long> orEmpty(Map<String, Long> map) {
        return map == null ? Map.of() : map;
    }
}
