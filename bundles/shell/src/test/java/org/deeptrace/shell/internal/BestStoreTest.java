package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.store.SpanStore;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

class BestStoreTest {
    private final List<String> calls = new ArrayList<>();

    private static SpanStore store() {
        return (SpanStore) Proxy.newProxyInstance(SpanStore.class.getClassLoader(), new Class<?>[] {SpanStore.class},
                (p, m, a) -> m.getName().equals("toString") ? "a store" : null);
    }

    /** A bundle context whose best SpanStore is {@code registered} (null: none), recording get/unget. */
    private BundleContext context(SpanStore registered) {
        ServiceReference<?> ref = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> {
                    switch (m.getName()) {
                        case "getServiceReference":
                            calls.add("getServiceReference " + ((Class<?>) a[0]).getSimpleName());
                            return registered == null ? null : ref;
                        case "getService":
                            calls.add("getService");
                            return registered;
                        case "ungetService":
                            calls.add("ungetService");
                            return true;
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    @Test
    void theHighestRankedStoreWhenTheCommandRunsIsUsedAndReleased() {
        SpanStore registered = store();
        SpanStore injected = store();
        try (BestStore best = BestStore.of(context(registered), injected)) {
            assertSame(registered, best.get());
        }
        assertEquals(List.of("getServiceReference SpanStore", "getService", "ungetService"), calls);
    }

    @Test
    void withoutAContextOrAStoreTheFallbackIsUsed() {
        SpanStore injected = store();
        try (BestStore best = BestStore.of(null, injected)) {
            assertSame(injected, best.get());
        }
        try (BestStore best = BestStore.of(context(null), injected)) {
            assertSame(injected, best.get());
        }
        try (BestStore best = BestStore.of(context(null), null)) {
            assertNull(best.get());
        }
        assertEquals(List.of("getServiceReference SpanStore", "getServiceReference SpanStore"), calls,
                "nothing to release when nothing was got");
    }
}
