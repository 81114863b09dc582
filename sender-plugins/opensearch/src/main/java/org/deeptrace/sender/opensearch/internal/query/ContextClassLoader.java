package org.deeptrace.sender.opensearch.internal.query;

import java.util.function.Supplier;

/**
 * The embedded OpenSearch client finds its JSON provider and HTTP pieces through the thread's context class loader;
 * in OSGi that must be this bundle's, whichever thread (REST, shell) calls in.
 */
final class ContextClassLoader {
    private ContextClassLoader() {
    }

    static <T> T ofThisBundle(Supplier<T> body) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(ContextClassLoader.class.getClassLoader());
        try {
            return body.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
