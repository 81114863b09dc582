package org.deeptrace.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.SpanNode;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.osgi.framework.BundleContext;

@Command(scope = "deeptrace", name = "trace", description = "Shows one trace as an indented span tree.")
@Service
public class TraceCommand implements Action {

    /** Where the highest-ranked span store is looked up when the command runs (see {@link BestStore}). */
    @Reference(optional = true)
    BundleContext context;

    /** Used when there is no bundle context (tests). */
    SpanStore store;

    @Argument(name = "traceId", required = true, description = "The trace id (32 hex digits)")
    String traceId;

    @Override
    public Object execute() throws Exception {
        try (BestStore best = BestStore.of(context, store)) {
            return execute(Services.require(best.get(), "The span store"));
        }
    }

    private Object execute(SpanStore spans) throws Exception {
        String id = traceId.strip().toLowerCase(Locale.ROOT);
        if (!id.matches("[0-9a-f]{32}")) {
            throw new CommandException("the trace id must be 32 hex digits, not '" + traceId + "'");
        }
        List<Span> trace = spans.trace(id);
        if (trace.isEmpty()) {
            throw new CommandException("no spans of trace " + id);
        }
        print(TraceAnalysis.tree(trace), System.out);
        return null;
    }

    /** One line per span, children indented under their parent; a start offset from the first root. */
    static void print(List<SpanNode> roots, PrintStream out) {
        long t0 = roots.stream().mapToLong(n -> n.span().startNs()).min().orElse(0);
        for (SpanNode root : roots) {
            print(root, 0, t0, out);
        }
    }

    private static void print(SpanNode node, int depth, long t0, PrintStream out) {
        Span s = node.span();
        out.printf(Locale.ROOT, "%s%s %s %s %s %s  +%s ms  %s ms  %s%n", "  ".repeat(depth), s.kind().wireName(),
                SpanTable.process(s), s.protocol(), s.endpoint() == null ? "-" : s.endpoint(), SpanTable.outcome(s),
                SpanTable.durationMs(s.startNs() - t0), SpanTable.durationMs(s.durationNs()), s.spanId());
        for (SpanNode child : node.children()) {
            print(child, depth + 1, t0, out);
        }
    }
}
