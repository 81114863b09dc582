package org.deeptrace.pipeline.internal.osgi;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** A plugin service and the bundle that provides it. */
record Registered<T>(T service, String name, String bundle, String version) {

    static <T> Registered<T> of(T service, String name, ServiceReference<?> ref) {
        Bundle b = ref == null ? null : ref.getBundle();
        return new Registered<>(service, name, b == null ? "?" : b.getSymbolicName(),
                b == null ? "?" : b.getVersion().toString());
    }
}
