package org.deeptrace.correlator.delay.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.correlation.LogHistogram;
import org.deeptrace.api.correlation.SparseMinCostAssignment;
import org.deeptrace.api.model.Span;

/** Decides one window: per child key, a few rounds of learn-then-match over connected components. */
final class WindowSolver {
    static final int ROUNDS = 4;
    /** Cost of leaving a client without parent: worse than any plausible pair of offsets. */
    static final double NO_PARENT_COST = 40;
    private static final double IMPOSSIBLE = 1e9;
    /** Call-count costs of an edge nothing is known about yet (never written to). */
    private static final EdgeModel UNLEARNED = new EdgeModel();

    private final CorrelationWindow window;
    private final ProcessModel model;
    private final List<Span> servers;
    private final Decision[] decisions;
    /** Per server index, children assigned in this window, by child key. */
    private final Map<String, int[]> assignedPerKey = new LinkedHashMap<>();

    WindowSolver(CorrelationWindow window, ProcessModel model) {
        this.window = window;
        this.model = model;
        this.servers = window.servers();
        this.decisions = new Decision[window.clients().size()];
    }

    static String childKey(Span client) {
        return client.remote() + ' ' + client.endpoint();
    }

    static String edgeKey(Span parent, String childKey) {
        return parent.endpoint() + " -> " + childKey;
    }

    List<Decision> solve() {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<Span> clients = window.clients();
        for (int i = 0; i < clients.size(); i++) {
            groups.computeIfAbsent(childKey(clients.get(i)), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            new Group(g.getKey(), g.getValue()).solve();
        }
        learnCallCounts();
        return Arrays.asList(decisions);
    }

    /** Servers that ended before the last client of the window started can get no more children: count them. */
    private void learnCallCounts() {
        long lastClientStart = window.clients().get(window.clients().size() - 1).startNs();
        for (int j = 0; j < servers.size(); j++) {
            Span s = servers.get(j);
            if (s.endNs() > lastClientStart || !model.firstCount(s.spanId())) {
                continue;
            }
            for (Map.Entry<String, int[]> e : assignedPerKey.entrySet()) {
                int earlier = earlierChildren(s, e.getKey());
                model.edge(edgeKey(s, e.getKey())).countParent(earlier + e.getValue()[j]);
            }
        }
    }

    private int earlierChildren(Span server, String childKey) {
        int n = 0;
        for (Span c : window.earlierChildrenOf(server.spanId())) {
            if (childKey(c).equals(childKey)) {
                n++;
            }
        }
        return n;
    }

    /** The clients of one child key. */
    private final class Group {
        final String key;
        final List<Integer> rows;
        final Span[] clients;
        final int[][] candidates;
        final int[] earlier;
        final String[] edgeKeys;
        int[] parentOf;

        Group(String key, List<Integer> rows) {
            this.key = key;
            this.rows = rows;
            int n = rows.size();
            clients = new Span[n];
            candidates = new int[n][];
            earlier = new int[servers.size()];
            edgeKeys = new String[servers.size()];
            Arrays.fill(earlier, -1);
            for (int i = 0; i < n; i++) {
                clients[i] = window.clients().get(rows.get(i));
                int[] c = new int[servers.size()];
                int k = 0;
                for (int j = 0; j < servers.size(); j++) {
                    Span s = servers.get(j);
                    if (s.startNs() > clients[i].startNs()) {
                        break; // servers are in start order
                    }
                    if (s.encloses(clients[i])) {
                        c[k++] = j;
                        if (earlier[j] < 0) {
                            earlier[j] = earlierChildren(s, key);
                            edgeKeys[j] = edgeKey(s, key);
                        }
                    }
                }
                candidates[i] = Arrays.copyOf(c, k);
            }
        }

        void solve() {
            parentOf = fifo();
            List<int[]> components = components();
            for (int round = 0; round < ROUNDS; round++) {
                Map<String, Densities> densities = densities();
                int[] next = new int[clients.length];
                for (int[] component : components) {
                    match(component, densities, next);
                }
                boolean same = Arrays.equals(next, parentOf);
                parentOf = next;
                if (same) {
                    break;
                }
            }
            Map<String, Densities> densities = densities();
            int[] load = new int[servers.size()];
            for (int p : parentOf) {
                if (p >= 0) {
                    load[p]++;
                }
            }
            assignedPerKey.put(key, load);
            for (int i = 0; i < clients.length; i++) {
                decisions[rows.get(i)] = decide(i, densities, load);
                if (parentOf[i] >= 0) {
                    EdgeModel edge = model.edge(edgeKeys[parentOf[i]]);
                    Span p = servers.get(parentOf[i]);
                    edge.start.add(clients[i].startNs() - p.startNs());
                    edge.end.add(p.endNs() - clients[i].endNs());
                }
            }
        }

        /** The bootstrap: each client takes the earliest enclosing server with a free first slot. */
        private int[] fifo() {
            int[] out = new int[clients.length];
            int[] load = new int[servers.size()];
            for (int i = 0; i < clients.length; i++) {
                out[i] = -1;
                for (int j : candidates[i]) {
                    if (earlier[j] + load[j] == 0) {
                        out[i] = j;
                        load[j]++;
                        break;
                    }
                }
            }
            return out;
        }

        /** Clients linked through a shared candidate server must be matched together; others need not. */
        private List<int[]> components() {
            int[] root = new int[clients.length];
            for (int i = 0; i < root.length; i++) {
                root[i] = i;
            }
            int[] firstClientOf = new int[servers.size()];
            Arrays.fill(firstClientOf, -1);
            for (int i = 0; i < clients.length; i++) {
                for (int j : candidates[i]) {
                    if (firstClientOf[j] < 0) {
                        firstClientOf[j] = i;
                    } else {
                        root[find(root, i)] = find(root, firstClientOf[j]);
                    }
                }
            }
            Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
            for (int i = 0; i < clients.length; i++) {
                byRoot.computeIfAbsent(find(root, i), r -> new ArrayList<>()).add(i);
            }
            List<int[]> out = new ArrayList<>(byRoot.size());
            for (List<Integer> c : byRoot.values()) {
                out.add(c.stream().mapToInt(Integer::intValue).toArray());
            }
            return out;
        }

        private static int find(int[] root, int i) {
            while (root[i] != i) {
                root[i] = root[root[i]];
                i = root[i];
            }
            return i;
        }

        /** Learned model plus this window's current assignment, per edge. */
        private Map<String, Densities> densities() {
            Map<String, Densities> out = new HashMap<>();
            for (int i = 0; i < clients.length; i++) {
                for (int j : candidates[i]) {
                    out.computeIfAbsent(edgeKeys[j], k -> new Densities(model.existingEdge(k)));
                }
            }
            for (int i = 0; i < clients.length; i++) {
                int j = parentOf[i];
                if (j >= 0) {
                    Span p = servers.get(j);
                    out.get(edgeKeys[j]).add(clients[i].startNs() - p.startNs(), p.endNs() - clients[i].endNs());
                }
            }
            return out;
        }

        private double logLikelihood(int i, int j, Map<String, Densities> densities) {
            Span p = servers.get(j);
            return densities.get(edgeKeys[j]).logLikelihood(clients[i].startNs() - p.startNs(),
                    p.endNs() - clients[i].endNs());
        }

        private double slotCost(int j, int slot) {
            EdgeModel e = model.existingEdge(edgeKeys[j]);
            return (e == null ? UNLEARNED : e).slotCost(earlier[j] + slot);
        }

        private void match(int[] component, Map<String, Densities> densities, int[] out) {
            Map<Integer, Integer> firstColumn = new LinkedHashMap<>();
            List<int[]> columns = new ArrayList<>(); // {server, slot}
            for (int i : component) {
                for (int j : candidates[i]) {
                    if (!firstColumn.containsKey(j)) {
                        firstColumn.put(j, columns.size());
                        int slots = Math.max(0, Math.min(component.length, EdgeModel.MAX_CALLS - earlier[j]));
                        for (int s = 0; s < slots; s++) {
                            columns.add(new int[] {j, s});
                        }
                    }
                }
            }
            // Sparse: a busy process's component can hold thousands of calls with a few candidates each.
            SparseMinCostAssignment.Problem problem =
                    new SparseMinCostAssignment.Problem(columns.size(), component.length, NO_PARENT_COST);
            for (int r = 0; r < component.length; r++) {
                int i = component[r];
                for (int j : candidates[i]) {
                    double ll = logLikelihood(i, j, densities);
                    for (int col = firstColumn.get(j); col < columns.size() && columns.get(col)[0] == j; col++) {
                        double c = -ll + slotCost(j, columns.get(col)[1]);
                        if (c < IMPOSSIBLE) {
                            problem.add(r, col, c);
                        }
                    }
                }
            }
            int[] chosen = problem.solve();
            for (int r = 0; r < component.length; r++) {
                int col = chosen[r];
                out[component[r]] = col == SparseMinCostAssignment.UNMATCHED ? -1 : columns.get(col)[0];
            }
        }

        /**
         * The score is the chosen parent's share of the likelihood among the candidates, each weighed with the
         * cost of the slot it would take given the other assignments.
         */
        private Decision decide(int i, Map<String, Densities> densities, int[] load) {
            int chosen = parentOf[i];
            String id = clients[i].spanId();
            if (chosen < 0) {
                return new Decision(id, null, 0, candidates[i].length);
            }
            double[] ll = new double[candidates[i].length];
            double best = Double.NEGATIVE_INFINITY;
            int chosenAt = 0;
            for (int k = 0; k < ll.length; k++) {
                int j = candidates[i][k];
                int others = load[j] - (j == chosen ? 1 : 0);
                ll[k] = logLikelihood(i, j, densities) - slotCost(j, others);
                best = Math.max(best, ll[k]);
                if (j == chosen) {
                    chosenAt = k;
                }
            }
            double sum = 0;
            for (double v : ll) {
                sum += Double.isFinite(v) ? Math.exp(v - best) : 0;
            }
            double score = Double.isFinite(ll[chosenAt]) ? Math.exp(ll[chosenAt] - best) / sum : 0;
            return new Decision(id, servers.get(chosen).spanId(), score, candidates[i].length);
        }
    }

    /** The densities of one edge for one round: the learned model plus the window's own assignment. */
    private static final class Densities {
        private static final double CAP = 1e9;
        final LogHistogram start = new LogHistogram(CAP);
        final LogHistogram end = new LogHistogram(CAP);

        Densities(EdgeModel learned) {
            if (learned != null) {
                start.addAll(learned.start);
                end.addAll(learned.end);
            }
        }

        void add(long startOffset, long endOffset) {
            start.add(startOffset);
            end.add(endOffset);
        }

        double logLikelihood(long startOffset, long endOffset) {
            return start.logDensity(startOffset) + end.logDensity(endOffset);
        }
    }
}
