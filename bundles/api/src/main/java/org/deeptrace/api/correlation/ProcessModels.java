package org.deeptrace.api.correlation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a learning correlator keeps per process, bounded: at most {@code capacity} processes, the least recently
 * correlated one forgotten first, so a host with many short-lived processes cannot grow it without limit.
 * Thread-safe; the model handed out is the caller's to guard.
 *
 * @param <M> the per-process model
 */
public final class ProcessModels<M> {
    private final Map<Integer, M> models;
    private final Supplier<M> factory;

    /**
     * @param capacity processes kept
     * @param factory makes the model of a process seen for the first time
     */
    public ProcessModels(int capacity, Supplier<M> factory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.factory = factory;
        this.models = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, M> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The model of process {@code tgid}, made on first use; marks it as recently used. */
    public synchronized M of(int tgid) {
        return models.computeIfAbsent(tgid, t -> factory.get());
    }

    /** Number of processes held. */
    public synchronized int size() {
        return models.size();
    }
}
