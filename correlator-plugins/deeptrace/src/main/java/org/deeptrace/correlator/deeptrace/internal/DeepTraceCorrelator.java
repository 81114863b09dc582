package org.deeptrace.correlator.deeptrace.internal;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.correlation.ProcessModels;
import org.osgi.service.component.annotations.Component;

/**
 * The transaction-based correlator, extended. For each client span of a process window it weighs every enclosing
 * server span with learned evidence, fused as a sum of log-likelihoods:
 * <ul>
 * <li>timing, per call edge (parent endpoint → child peer and endpoint): start offset, end offset, and the gaps to
 * the previous and next event inside the parent (its start or end, or a sibling call: a service that calls B then
 * C calls C shortly after B's response) — log-scale histograms learned online;
 * <li>ordering: whether the call would overlap another call of the same parent, a learned likelihood ratio;
 * <li>thread affinity: same thread id as the parent or not, a likelihood ratio learned per process, so it counts
 * for thread-per-request servers and fades to nothing for event loops and goroutines;
 * <li>persistent fields: TF-IDF weighted byte-trigram vectors of the request id, trace id header, resource and
 * endpoint, cosine-compared and turned into a learned likelihood ratio; constant or redacted fields weigh 0;
 * <li>nested API affinity: correlation of the parent endpoint's and the child's traffic over the window;
 * <li>learned call patterns: how many calls of each kind a parent makes, as a cost per extra call, with a prior
 * that one call of a kind per parent is the rule until the counts show otherwise;
 * <li>read-triggered calls: where nearly every read of an endpoint is followed at once by a call of one kind on
 * the reading thread (an event loop's handler writes its first call before the next read), the call that follows
 * a read belongs to that request — judged from timestamps alone.
 * </ul>
 * Each child key is then matched to parents globally (Hungarian per connected component, slots per possible
 * call), the keys taking turns until the assignment is stable. {@code correlation.score} is the chosen parent's
 * posterior among the candidates, which on the shared datasets is right at least as often as it claims.
 */
@Component(service = Correlator.class)
public final class DeepTraceCorrelator implements Correlator {
    static final String NAME = "deeptrace";
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
