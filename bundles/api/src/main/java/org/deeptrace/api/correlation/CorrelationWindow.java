package org.deeptrace.api.correlation;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;

/**
 * The spans of one process that a correlator decides on together.
 *
 * @param tgid the process
 * @param clients the client spans to find parents for, in start order
 * @param servers the server spans that may be parents: every server span of the process that overlaps the
 *     window, in start order, including ones that started in earlier windows
 * @param earlierChildren for a server span id, the client spans already given to it in earlier windows
 */
public record CorrelationWindow(int tgid, List<Span> clients, List<Span> servers,
        Map<String, List<Span>> earlierChildren) {

    public CorrelationWindow {
        clients = List.copyOf(clients);
        servers = List.copyOf(servers);
        earlierChildren = Map.copyOf(earlierChildren);
    }

    /** Client spans given to {@code serverSpanId} in earlier windows (empty when none). */
    public List<Span> earlierChildrenOf(String serverSpanId) {
        return earlierChildren.getOrDefault(serverSpanId, List.of());
    }
}
