package org.deeptrace.shell.internal;

import java.time.ZoneId;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.osgi.framework.BundleContext;

@Command(scope = "deeptrace", name = "spans", description = "Lists recent spans from the span store, newest first.")
@Service
public class SpansCommand implements Action {
    static final int MAX_LIMIT = 10_000;

    /** Where the highest-ranked span store is looked up when the command runs (see {@link BestStore}). */
    @Reference(optional = true)
    BundleContext context;

    /** Used when there is no bundle context (tests). */
    SpanStore store;

    @Option(name = "--protocol", aliases = "-p", description = "Only spans of this protocol (exact name)")
    @Completion(ProtocolNameCompleter.class)
    String protocol;

    @Option(name = "--endpoint", aliases = "-e", description = "Only spans of this endpoint (exact match)")
    String endpoint;

    @Option(name = "--pid", description = "Only spans of this process id")
    int pid;

    @Option(name = "--limit", aliases = "-n", description = "At most this many spans (1 to 10000)")
    int limit = 20;

    @Override
    public Object execute() throws Exception {
        try (BestStore best = BestStore.of(context, store)) {
            return execute(Services.require(best.get(), "The span store"));
        }
    }

    private Object execute(SpanStore spans) throws Exception {
        SpanTable.print(spans.find(query()), ZoneId.systemDefault(), System.out);
        return null;
    }

    SpanQuery query() throws CommandException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CommandException("--limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (pid < 0) {
            throw new CommandException("--pid must not be negative: " + pid);
        }
        return new SpanQuery(blankToNull(protocol), blankToNull(endpoint), pid, limit);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
