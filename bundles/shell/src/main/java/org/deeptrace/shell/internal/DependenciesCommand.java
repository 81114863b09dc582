package org.deeptrace.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.SpanStore;
import org.osgi.framework.BundleContext;

@Command(scope = "deeptrace", name = "dependencies",
        description = "Shows the dependency graph between processes (comm/pid): calls, rate, error rate and latency per edge.")
@Service
public class DependenciesCommand implements Action {

    /** Where the highest-ranked span store is looked up when the command runs (see {@link BestStore}). */
    @Reference(optional = true)
    BundleContext context;

    /** Used when there is no bundle context (tests). */
    SpanStore store;

    @Option(name = "--start", description = "Spans starting at or after this time (epoch ms or ISO-8601)")
    String start;

    @Option(name = "--end", description = "Spans starting at or before this time (epoch ms or ISO-8601)")
    String end;

    @Override
    public Object execute() throws Exception {
        try (BestStore best = BestStore.of(context, store)) {
            return execute(Services.require(best.get(), "The span store"));
        }
    }

    private Object execute(SpanStore spans) throws Exception {
        long startNs = QueryArgs.timeNs("--start", start, 0);
        long endNs = QueryArgs.timeNs("--end", end, Long.MAX_VALUE);
        if (endNs < startNs) {
            throw new CommandException("--end must not be before --start");
        }
        print(spans.dependencies(startNs, endNs), System.out);
        return null;
    }

    static void print(List<DependencyLink> links, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no dependencies");
        table.column("Parent");
        table.column("Child");
        table.column("Calls").alignRight();
        table.column("Calls/s").alignRight();
        table.column("Errors %").alignRight();
        table.column("p50 ms").alignRight();
        table.column("p90 ms").alignRight();
        table.column("p99 ms").alignRight();
        for (DependencyLink l : links) {
            table.addRow().addContent(l.parent() + "/" + l.parentPid(),
                    l.childPid() == 0 ? l.child() : l.child() + "/" + l.childPid(), l.calls(),
                    String.format(Locale.ROOT, "%.2f", l.callsPerSecond()),
                    String.format(Locale.ROOT, "%.1f", 100 * l.errorRate()), SpanTable.durationMs(l.p50Ns()),
                    SpanTable.durationMs(l.p90Ns()), SpanTable.durationMs(l.p99Ns()));
        }
        table.print(out);
    }
}
