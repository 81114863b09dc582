package org.deeptrace.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.support.table.ShellTable;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.store.SpanStore;

/** Prints the pipeline status: a few labelled lines, then every counter sorted by name. */
final class StatusView {
    private StatusView() {
    }

    static void print(PipelineStatus status, PrintStream out) {
        out.println("Host       : " + orDash(status.host()));
        out.println("Correlator : " + orDash(status.correlator())
                + (status.correlatorAvailable() ? " (available)" : " (NOT available: no correlator of that name)"));
        List<String> sources = status.sources() == null ? List.of() : status.sources();
        out.println("Sources    : " + (sources.isEmpty() ? "none" : String.join(", ", sources)));
        out.println();
        ShellTable table = new ShellTable().emptyTableText("no counters");
        table.column("Counter");
        table.column("Value").alignRight();
        Map<String, Long> counters = status.counters() == null ? Map.of() : status.counters();
        new TreeMap<>(counters).forEach((name, value) -> table.addRow().addContent(name, value));
        table.print(out);
    }

    /**
     * The status with the store's own counters added as {@code store.KEY} (a query server's
     * {@code store.federation.*}); a store that fails to give them is left out.
     */
    static PipelineStatus withStoreCounters(PipelineStatus status, SpanStore store) {
        try {
            return store == null ? status : status.withCounters("store.", store.storeCounters());
        } catch (RuntimeException e) {
            return status;
        }
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
