package org.deeptrace.correlator.deeptrace.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;

/**
 * Which calls a handler writes as soon as its request is read. An event loop (nginx, Node.js) reads a request and
 * runs its handler, which writes its first call, before the loop reads the next request; so for such a call edge
 * (parent endpoint → call kind) nearly every request of that endpoint is followed, before the next read, by a call
 * of that kind written on the reading thread — and the call that follows a read is that request's call, however
 * fast the requests come. Calls made later (after a response came back) and other endpoints' calls show no such
 * pattern.
 *
 * <p>Judged per edge from timestamps and endpoints alone, never from the correlator's own choices (a
 * self-trained weight stays as weak as the FIFO bootstrap it started from): an edge is read-triggered when at
 * least {@value #MIN_SHARE} of its parent endpoint's reads, of at least {@value #MIN_READS} in this and the process's
 * earlier windows, are followed at once by
 * a call of its kind that the read request encloses. Thread pools and goroutines interleave reads and calls of
 * different requests and do not reach the share under concurrency; without concurrency the rule is right anyway.
 */
final class ReadTriggered {
    /** Reads of a parent endpoint in the window before its edges are judged. */
    static final int MIN_READS = 20;
    /** Share of the endpoint's reads that must be followed at once by the edge's call. */
    static final double MIN_SHARE = 0.9;
    /**
     * Log-likelihood of the candidate whose read the call followed at once (plus), and of a candidate whose
     * immediate call was another call of the same kind (minus): about 50 to 1 each way.
     */
    static final double LOG_RATIO = 4;

    private ReadTriggered() {
    }

    /**
     * Per server span, the client span that is the next event after its read: the first client starting after it
     * and before the next server span starts, written by the thread that read it; -1 when there is none.
     *
     * @param servers the window's server spans in start order
     * @param clients the window's client spans in start order
     */
    static int[] firstCalls(List<Span> servers, List<Span> clients) {
        int[] first = new int[servers.size()];
        int i = 0;
        for (int j = 0; j < servers.size(); j++) {
            Span s = servers.get(j);
            while (i < clients.size() && clients.get(i).startNs() < s.startNs()) {
                i++;
            }
            long nextRead = j + 1 < servers.size() ? servers.get(j + 1).startNs() : Long.MAX_VALUE;
            boolean follows = i < clients.size() && clients.get(i).startNs() < nextRead
                    && clients.get(i).tid() == s.tid();
            first[j] = follows ? i : -1;
        }
        return first;
    }

    /**
     * @param endpointOf per server span, its endpoint as a small int
     * @param edgeOfFirst per server span, the edge from it to its first call ({@link #firstCalls}) when it encloses
     *     that call, else -1
     * @param judged per server span, whether its read counts (a later read exists in the window to bound it)
     * @param edgeEndpoint per edge, its parent endpoint
     * @return per edge, whether its calls are written right after their request's read
     */
    static boolean[] judge(int[] endpointOf, int[] edgeOfFirst, boolean[] judged, int endpoints, int[] edgeEndpoint) {
        return judge(endpointOf, edgeOfFirst, judged, endpoints, edgeEndpoint, null, null, null);
    }

    /**
     * As {@link #judge(int[], int[], boolean[], int, int[])}, judged on the counts of this window added to the
     * process's earlier windows ({@code memory}), so short windows with few reads of an endpoint are judged too.
     *
     * @param endpointNames per endpoint int, its name; {@code edgeNames} per edge, its name
     */
    static boolean[] judge(int[] endpointOf, int[] edgeOfFirst, boolean[] judged, int endpoints, int[] edgeEndpoint,
            String[] endpointNames, String[] edgeNames, Memory memory) {
        double[] reads = new double[endpoints];
        double[] hits = new double[edgeEndpoint.length];
        for (int j = 0; j < endpointOf.length; j++) {
            if (!judged[j]) {
                continue;
            }
            reads[endpointOf[j]]++;
            if (edgeOfFirst[j] >= 0) {
                hits[edgeOfFirst[j]]++;
            }
        }
        if (memory != null) {
            for (int p = 0; p < endpoints; p++) {
                reads[p] = memory.addReads(endpointNames[p], reads[p]);
            }
            for (int e = 0; e < hits.length; e++) {
                hits[e] = memory.addHits(edgeNames[e], hits[e]);
            }
        }
        boolean[] triggered = new boolean[edgeEndpoint.length];
        for (int e = 0; e < triggered.length; e++) {
            double r = reads[edgeEndpoint[e]];
            triggered[e] = r >= MIN_READS && hits[e] >= MIN_SHARE * r;
        }
        return triggered;
    }

    /**
     * A process's read and first-call counts over its windows, bounded: at most {@value #MAX_KEYS} endpoints and
     * edges each (least recently used go first); an endpoint's counts and its edges' are halved together past
     * {@value #CAP} reads, so a process that changes is re-judged.
     */
    static final class Memory {
        static final int MAX_KEYS = 1024;
        static final double CAP = 20_000;

        private final Map<String, double[]> reads = lru();
        private final Map<String, double[]> hits = lru();

        private static Map<String, double[]> lru() {
            return new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
                    return size() > MAX_KEYS;
                }
            };
        }

        /** Adds a window's reads of an endpoint; returns its total. */
        double addReads(String endpoint, double n) {
            double[] r = reads.computeIfAbsent(endpoint, k -> new double[1]);
            r[0] += n;
            if (r[0] > CAP) {
                r[0] *= 0.5;
                String prefix = endpoint + WindowSolver.EDGE_SEPARATOR;
                hits.forEach((edge, h) -> {
                    if (edge.startsWith(prefix)) {
                        h[0] *= 0.5;
                    }
                });
            }
            return r[0];
        }

        /** Adds a window's first calls on an edge; returns its total. */
        double addHits(String edge, double n) {
            double[] h = hits.computeIfAbsent(edge, k -> new double[1]);
            h[0] += n;
            return h[0];
        }
    }
}
