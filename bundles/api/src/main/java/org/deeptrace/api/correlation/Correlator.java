package org.deeptrace.api.correlation;

import java.util.List;

/**
 * A correlation algorithm, registered as an OSGi service with its {@link #name()}; the pipeline uses the one
 * named in its configuration and switches when the configuration or the set of services changes.
 *
 * <p>Called for one process window at a time, possibly from several threads for different processes; an
 * implementation keeps no mutable state across calls unless it guards it.
 */
public interface Correlator {

    /** The name operators choose it by, e.g. {@code fifo}; written as {@code correlation.algorithm}. */
    String name();

    /** One decision per client span of the window (spans without one keep no parent). */
    List<Decision> correlate(CorrelationWindow window);
}
