package org.deeptrace.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.deeptrace.api.store.SpanStore;
import org.osgi.framework.BundleContext;

@Command(scope = "deeptrace", name = "status",
        description = "Shows the live pipeline: host, correlator, capture sources and counters (the span store's as store.*).")
@Service
public class StatusCommand implements Action {

    @Reference(optional = true)
    DeepTraceRuntime runtime;

    /** Where the highest-ranked span store is looked up when the command runs (see {@link BestStore}). */
    @Reference(optional = true)
    BundleContext context;

    /** Used when there is no bundle context (tests). */
    SpanStore store;

    @Override
    public Object execute() throws Exception {
        try (BestStore best = BestStore.of(context, store)) {
            StatusView.print(StatusView.withStoreCounters(Services.require(runtime, "The DeepTrace runtime").status(),
                    best.get()), System.out);
        }
        return null;
    }
}
