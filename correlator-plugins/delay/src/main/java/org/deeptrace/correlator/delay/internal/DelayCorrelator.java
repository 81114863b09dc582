package org.deeptrace.correlator.delay.internal;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.correlation.ProcessModels;
import org.osgi.service.component.annotations.Component;

/**
 * Delay-based correlation in the spirit of WAP5 and TraceWeaver: each process learns, per call edge (parent
 * endpoint → child peer and endpoint), how long after its parent starts a child call starts and how long before
 * the parent ends it ends, and how many such calls a parent makes. A window's client spans are then assigned to
 * parents globally, as a minimum-cost matching (cost = negative log-likelihood of both offsets, plus the cost of
 * an extra call), not greedily.
 *
 * <p>Learning is online and bounded: densities live in fixed-size histograms whose old weight fades, and a window
 * refines them with its own assignment for a few rounds (self-training, so the first window of a process is
 * bootstrapped from a FIFO assignment).
 */
@Component(service = Correlator.class)
public final class DelayCorrelator implements Correlator {
    static final String NAME = "delay";
    private static final int MAX_PROCESSES = 4096;

    private final ProcessModels<ProcessModel> processes = new ProcessModels<>(MAX_PROCESSES, ProcessModel::new);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Decision> correlate(CorrelationWindow window) {
        if (window.clients().isEmpty()) {
            return new ArrayList<>();
        }
        ProcessModel model = processes.of(window.tgid());
        synchronized (model) { // windows of one process arrive in order; the lock only guards against misuse
            return new WindowSolver(window, model).solve();
        }
    }
}
