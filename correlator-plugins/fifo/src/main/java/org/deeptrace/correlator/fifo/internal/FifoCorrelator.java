package org.deeptrace.correlator.fifo.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.Span;
import org.osgi.service.component.annotations.Component;

/**
 * The classic baseline: per process, client spans in start order take the earliest server span that encloses
 * them and has not yet called the same downstream peer. It assumes a service handles requests first come, first
 * served, and calls each peer once per request.
 *
 * <p>The score is 1 / (number of servers still free for that peer): certain when only one request was in
 * flight, a coin toss between two.
 */
@Component(service = Correlator.class)
public final class FifoCorrelator implements Correlator {
    static final String NAME = "fifo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Decision> correlate(CorrelationWindow window) {
        // Which peers each server span has already called, including calls decided in earlier windows.
        Map<String, Set<String>> calledPeers = new HashMap<>();
        for (Span server : window.servers()) {
            Set<String> peers = new HashSet<>();
            for (Span child : window.earlierChildrenOf(server.spanId())) {
                peers.add(child.remote());
            }
            calledPeers.put(server.spanId(), peers);
        }
        List<Decision> decisions = new ArrayList<>(window.clients().size());
        for (Span client : window.clients()) {
            decisions.add(decide(client, window.servers(), calledPeers));
        }
        return decisions;
    }

    private static Decision decide(Span client, List<Span> servers, Map<String, Set<String>> calledPeers) {
        Span chosen = null;
        int enclosing = 0;
        int free = 0;
        for (Span server : servers) { // in start order: the first free one is the earliest
            if (!server.encloses(client)) {
                continue;
            }
            enclosing++;
            if (!calledPeers.get(server.spanId()).contains(client.remote())) {
                free++;
                if (chosen == null) {
                    chosen = server;
                }
            }
        }
        if (chosen == null) {
            return new Decision(client.spanId(), null, 0, enclosing);
        }
        calledPeers.get(chosen.spanId()).add(client.remote());
        return new Decision(client.spanId(), chosen.spanId(), 1.0 / free, enclosing);
    }
}
