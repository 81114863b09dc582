package org.deeptrace.shell.internal;

import org.deeptrace.api.store.SpanStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The highest-ranked span store at the moment a command runs, held until the command ends. A command's
 * {@code @Reference} field would keep the store Karaf's single-service tracker found first and not switch to a better
 * one registered later — a query server's federated store (ranked 200), installed after the local Lucene store
 * (100), would never answer the shell.
 */
final class BestStore implements AutoCloseable {
    private final BundleContext context;
    private final ServiceReference<SpanStore> reference;
    private final SpanStore store;

    private BestStore(BundleContext context, ServiceReference<SpanStore> reference, SpanStore store) {
        this.context = context;
        this.reference = reference;
        this.store = store;
    }

    /** @param fallback the store to use when there is no bundle context (tests) or no store is registered */
    static BestStore of(BundleContext context, SpanStore fallback) {
        ServiceReference<SpanStore> best = context == null ? null : context.getServiceReference(SpanStore.class);
        SpanStore s = best == null ? null : context.getService(best);
        return new BestStore(context, s == null ? null : best, s == null ? fallback : s);
    }

    /** The store, or null when there is none. */
    SpanStore get() {
        return store;
    }

    @Override
    public void close() {
        if (reference != null) {
            context.ungetService(reference);
        }
    }
}
