package org.deeptrace.shell.internal;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.osgi.framework.BundleContext;

@Command(scope = "deeptrace", name = "traces",
        description = "Finds traces with a span matching every filter, newest first (a service is a process name).")
@Service
public class TracesCommand implements Action {
    static final int MAX_LIMIT = 1_000;

    /** Where the highest-ranked span store is looked up when the command runs (see {@link BestStore}). */
    @Reference(optional = true)
    BundleContext context;

    /** Used when there is no bundle context (tests). */
    SpanStore store;

    @Option(name = "--service", aliases = "-s", description = "A span of this process (comm)")
    String service;

    @Option(name = "--endpoint", aliases = "-e", description = "A span of this endpoint (exact)")
    String endpoint;

    @Option(name = "--protocol", aliases = "-p", description = "A span of this protocol")
    @Completion(ProtocolNameCompleter.class)
    String protocol;

    @Option(name = "--status", description = "A span with this response status (ok, client_error, server_error, error, unknown)")
    String status;

    @Option(name = "--min-duration", description = "A span lasting at least this many ms")
    String minDurationMs;

    @Option(name = "--max-duration", description = "A span lasting at most this many ms")
    String maxDurationMs;

    @Option(name = "--start", description = "A span starting at or after this time (epoch ms or ISO-8601)")
    String start;

    @Option(name = "--end", description = "A span starting at or before this time (epoch ms or ISO-8601)")
    String end;

    @Option(name = "--tag", aliases = "-t", multiValued = true, description = "A span with this field value, key:value (repeatable)")
    List<String> tags;

    @Option(name = "--limit", aliases = "-n", description = "At most this many traces (1 to 1000)")
    int limit = 20;

    @Override
    public Object execute() throws Exception {
        try (BestStore best = BestStore.of(context, store)) {
            return execute(Services.require(best.get(), "The span store"));
        }
    }

    private Object execute(SpanStore spans) throws Exception {
        print(spans.traces(query()), ZoneId.systemDefault(), System.out);
        return null;
    }

    TraceQuery query() throws CommandException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CommandException("--limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        long minNs = QueryArgs.durationNs("--min-duration", minDurationMs, 0);
        long maxNs = QueryArgs.durationNs("--max-duration", maxDurationMs, Long.MAX_VALUE);
        if (maxNs < minNs) {
            throw new CommandException("--max-duration must not be below --min-duration");
        }
        long startNs = QueryArgs.timeNs("--start", start, 0);
        long endNs = QueryArgs.timeNs("--end", end, Long.MAX_VALUE);
        if (endNs < startNs) {
            throw new CommandException("--end must not be before --start");
        }
        ResponseStatus st = null;
        if (QueryArgs.blankToNull(status) != null) {
            try {
                st = ResponseStatus.fromWireName(status.strip().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandException("--status must be ok, client_error, server_error, error or unknown, not '"
                        + status + "'");
            }
        }
        Map<String, String> tagMap = new LinkedHashMap<>();
        for (String t : tags == null ? List.<String>of() : tags) {
            int sep = t.indexOf(':');
            String key = sep > 0 ? TraceAnalysis.canonicalTag(t.substring(0, sep).strip()) : null;
            if (key == null || !TraceAnalysis.TAG_KEYS.contains(key)) {
                throw new CommandException("--tag must be key:value with a key among "
                        + new java.util.TreeSet<>(TraceAnalysis.TAG_KEYS) + ", not '" + t + "'");
            }
            tagMap.put(key, t.substring(sep + 1).strip());
        }
        return new TraceQuery(QueryArgs.blankToNull(service), QueryArgs.blankToNull(endpoint),
                QueryArgs.blankToNull(protocol), st, minNs, maxNs, startNs, endNs, tagMap, limit);
    }

    static void print(List<TraceSummary> traces, ZoneId zone, java.io.PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no traces");
        table.column("Start");
        table.column("Trace ID");
        table.column("Root");
        table.column("Endpoint").maxSize(40);
        table.column("Spans").alignRight();
        table.column("Duration ms").alignRight();
        table.column("Error");
        table.column("Services").maxSize(60);
        for (TraceSummary t : traces) {
            table.addRow().addContent(SpanTable.startTime(t.startNs(), zone), t.traceId(), t.rootService(),
                    t.rootEndpoint() == null ? "-" : t.rootEndpoint(), t.spanCount(), SpanTable.durationMs(t.durationNs()),
                    t.error() ? "yes" : "", String.join(",", t.services()));
        }
        table.print(out);
    }
}
