package org.deeptrace.correlator.deeptrace.internal;

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

/**
 * Decides one window of one process. Client spans are grouped by child key (peer and endpoint); every group is
 * matched to parents globally (Hungarian, per connected component, with a slot per possible call) given the
 * current assignment of the other groups, and the groups take turns until nothing changes (coordinate descent).
 * Before each turn the densities and evidence weights are re-learned from the process model plus the window's
 * current assignment, so the first window of a process bootstraps itself from FIFO.
 */
final class WindowSolver {
    static final int ROUNDS = 6;
    /** Between a parent endpoint and a child key in an edge's name. */
    static final String EDGE_SEPARATOR = " -> ";
    static final double REGULAR_SHARE = 0.8;
    static final double NO_PARENT_COST = 40;
    /** Bound on the ordering passes over one edge's calls (each pass moves a parent one call further). */
    static final int MAX_ORDER_PASSES = 64;
    private static final double IMPOSSIBLE = 1e9;
    private static final long AFFINITY_BUCKET_NS = 10_000_000L;

    private final CorrelationWindow window;
    private final ProcessModel model;
    private final List<Span> servers;
    private final List<Span> clients;
    private final String[] childKeys;
    private final int[][] candidates;
    /** Per client and candidate: index of the edge in {@link #edgeList}. */
    private final int[][] edgeIndex;
    private final List<String> edgeList = new ArrayList<>();
    /** Per client and candidate: calls to the client's child key the candidate made in earlier windows. */
    private final int[][] earlierSame;
    private final List<List<Span>> earlierOf;
    /** Child keys as small ints: per client, and per server for its earlier-window children. */
    private final Map<String, Integer> keyIds = new HashMap<>();
    private final int[] keyOf;
    private final List<int[]> earlierKeysOf;
    /**
     * Per child key: whether most parents make such a call. Gaps are measured to regular siblings only, so a
     * sporadic call (a cached DNS lookup, a cache miss) does not move the events its siblings are timed from.
     */
    private boolean[] regular;
    private final int[] parentOf;
    private final List<List<Integer>> childrenOf;
    /** Per client and candidate: the binned persistent-field cosine, or -1 when the fields say nothing. */
    private final int[][] similarityBin;
    /** Per edge index: the log affinity prior (0 when the window cannot tell). */
    private double[] affinity;
    /** Per edge index: the log prior from certain calls ({@link CallPatterns}). */
    private double[] callPrior;
    /** Per server: the client span written right after its read, before the next read, or -1 ({@link ReadTriggered}). */
    private final int[] firstCall;
    /** Per server: its endpoint as a small int; per edge: its parent endpoint. */
    private final int[] endpointOf;
    private final Map<String, Integer> endpointIds = new HashMap<>();
    private final List<Integer> edgeEndpoints = new ArrayList<>();
    /** Per edge: the handler writes such a call as soon as its request is read ({@link ReadTriggered}). */
    private boolean[] readTriggered;
    private Learned learned;
    /** Decided once per window: the thread that read a parent writes its children (see {@link ThreadExclusivity}). */
    private boolean threadPerRequest;
    private boolean singleThreaded;
    /** The learned model of each edge of the window (an empty one for edges never seen). */
    private EdgeModel[] edgeModels;

    WindowSolver(CorrelationWindow window, ProcessModel model) {
        this.window = window;
        this.model = model;
        this.servers = window.servers();
        this.clients = window.clients();
        int n = clients.size();
        childKeys = new String[n];
        candidates = new int[n][];
        edgeIndex = new int[n][];
        earlierSame = new int[n][];
        earlierOf = new ArrayList<>(servers.size());
        earlierKeysOf = new ArrayList<>(servers.size());
        for (Span s : servers) {
            List<Span> earlier = window.earlierChildrenOf(s.spanId());
            earlierOf.add(earlier);
            int[] keys = new int[earlier.size()];
            for (int k = 0; k < keys.length; k++) {
                keys[k] = keyIds.computeIfAbsent(childKey(earlier.get(k)), x -> keyIds.size());
            }
            earlierKeysOf.add(keys);
        }
        keyOf = new int[n];
        endpointOf = new int[servers.size()];
        for (int j = 0; j < servers.size(); j++) {
            endpointOf[j] = endpointIds.computeIfAbsent(String.valueOf(servers.get(j).endpoint()),
                    x -> endpointIds.size());
        }
        Map<String, Map<String, Integer>> edgeIds = new HashMap<>(); // parent endpoint -> child key -> edge
        Map<String, Map<String, String>> childKeyCache = new HashMap<>(); // reuses key strings and their hashes
        parentOf = new int[n];
        childrenOf = new ArrayList<>(servers.size());
        for (int j = 0; j < servers.size(); j++) {
            childrenOf.add(new ArrayList<>(2));
        }
        firstCall = ReadTriggered.firstCalls(servers, clients);
        List<Span> all = new ArrayList<>(n + servers.size());
        all.addAll(clients);
        all.addAll(servers);
        FieldVectors.Vector[] vectors = FieldVectors.of(all);
        similarityBin = new int[n][];
        int[] active = new int[servers.size()];
        int[] cand = new int[servers.size()];
        int activeCount = 0;
        int nextServer = 0;
        long lastStart = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            Span c = clients.get(i);
            childKeys[i] = childKeyCache.computeIfAbsent(c.remote(), r -> new HashMap<>())
                    .computeIfAbsent(String.valueOf(c.endpoint()), e -> childKey(c));
            keyOf[i] = keyIds.computeIfAbsent(childKeys[i], x -> keyIds.size());
            // Servers in start order join the active set when they start before the client; those that ended
            // before it leave it for good (later clients start later). A client out of order rescans.
            if (c.startNs() < lastStart) {
                activeCount = 0;
                nextServer = 0;
            }
            lastStart = c.startNs();
            while (nextServer < servers.size() && servers.get(nextServer).startNs() <= c.startNs()) {
                active[activeCount++] = nextServer++;
            }
            int k = 0;
            int kept = 0;
            for (int a = 0; a < activeCount; a++) {
                int j = active[a];
                Span s = servers.get(j);
                if (s.endNs() < c.startNs()) {
                    continue;
                }
                active[kept++] = j;
                if (s.encloses(c)) {
                    cand[k++] = j;
                }
            }
            activeCount = kept;
            candidates[i] = Arrays.copyOf(cand, k);
            int sameThread = 0;
            for (int q = 0; q < k; q++) {
                sameThread += servers.get(cand[q]).tid() == c.tid() ? 1 : 0;
            }
            model.threads.observe(k, sameThread);
            if (k == 1) {
                model.calls.observeCertain(String.valueOf(servers.get(cand[0]).endpoint()), childKeys[i]);
            }
            edgeIndex[i] = new int[k];
            earlierSame[i] = new int[k];
            similarityBin[i] = new int[k];
            for (int q = 0; q < k; q++) {
                String parentEndpoint = String.valueOf(servers.get(cand[q]).endpoint());
                Map<String, Integer> byChild = edgeIds.computeIfAbsent(parentEndpoint, e -> new HashMap<>());
                Integer id = byChild.get(childKeys[i]);
                if (id == null) {
                    id = edgeList.size();
                    byChild.put(childKeys[i], id);
                    edgeList.add(parentEndpoint + EDGE_SEPARATOR + childKeys[i]);
                    edgeEndpoints.add(endpointOf[cand[q]]);
                }
                edgeIndex[i][q] = id;
                double cosine = vectors[i].cosine(vectors[n + cand[q]]);
                similarityBin[i][q] = Double.isNaN(cosine) ? -1 : ProcessModel.similarityBin(cosine);
                for (Span e : earlierOf.get(cand[q])) {
                    if (childKey(e).equals(childKeys[i])) {
                        earlierSame[i][q]++;
                    }
                }
            }
        }
    }

    /** Read-triggered edges of this window, judged from timestamps and endpoints (see {@link ReadTriggered}). */
    private boolean[] judgeReadTriggered() {
        int[] edgeOfFirst = new int[servers.size()];
        boolean[] judged = new boolean[servers.size()];
        long firstClientStart = clients.get(0).startNs();
        long lastClientStart = clients.get(clients.size() - 1).startNs();
        for (int j = 0; j < servers.size(); j++) {
            int f = firstCall[j];
            int q = f < 0 ? -1 : indexOf(candidates[f], j);
            edgeOfFirst[j] = q < 0 ? -1 : edgeIndex[f][q];
            // a read before the window's first call made its first call in an earlier window (or none): not judged
            long read = servers.get(j).startNs();
            judged[j] = j + 1 < servers.size() && read >= firstClientStart && read < lastClientStart;
        }
        int[] edgeEndpoint = edgeEndpoints.stream().mapToInt(Integer::intValue).toArray();
        String[] endpointNames = new String[endpointIds.size()];
        endpointIds.forEach((name, id) -> endpointNames[id] = name);
        return ReadTriggered.judge(endpointOf, edgeOfFirst, judged, endpointIds.size(), edgeEndpoint, endpointNames,
                edgeList.toArray(new String[0]), model.readTriggered);
    }

    static String childKey(Span client) {
        return client.remote() + ' ' + client.endpoint();
    }

    List<Decision> solve() {
        threadPerRequest = model.threads.threadPerRequest();
        singleThreaded = model.threads.singleThreaded();
        readTriggered = judgeReadTriggered();
        regular = new boolean[keyIds.size()];
        Arrays.fill(regular, true);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < clients.size(); i++) {
            groups.computeIfAbsent(childKeys[i], k -> new ArrayList<>()).add(i);
        }
        edgeModels = new EdgeModel[edgeList.size()];
        for (int e = 0; e < edgeModels.length; e++) {
            EdgeModel m = model.existingEdge(edgeList.get(e));
            edgeModels[e] = m == null ? new EdgeModel() : m;
        }
        computeAffinity();
        callPrior = new double[edgeList.size()];
        for (int e = 0; e < callPrior.length; e++) {
            String[] parentAndChild = edgeList.get(e).split(" -> ", 2);
            callPrior[e] = model.calls.logPrior(parentAndChild[0], parentAndChild[1]);
        }
        List<Group> ordered = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            ordered.add(new Group(g.getValue()));
        }
        fifo(ordered);
        for (int round = 0; round < ROUNDS; round++) {
            boolean changed = false;
            learned = learn();
            for (Group g : ordered) {
                changed |= g.match();
            }
            if (!changed) {
                break;
            }
        }
        if (singleThreaded) {
            keepCallOrder();
        }
        learned = learn();
        List<Decision> out = new ArrayList<>(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            out.add(decide(i));
        }
        commit(groups);
        return out;
    }

    /**
     * An event loop runs the handlers of one endpoint in the order their requests arrived, and each handler makes
     * its calls in the same order, so calls of one kind from one endpoint leave in their parents' order. The
     * matching chose which requests made such calls; this hands those parents to the calls in that order,
     * undoing crossings that timing alone cannot see when requests arrive faster than the calls they cause.
     * A swap that would give a call a parent that does not enclose it is not made.
     */
    private void keepCallOrder() {
        Map<Integer, List<Integer>> callsByEdge = new HashMap<>();
        for (int i = 0; i < clients.size(); i++) {
            if (parentOf[i] >= 0) {
                callsByEdge.computeIfAbsent(edgeOf(i, parentOf[i]), e -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> calls : callsByEdge.values()) {
            if (calls.size() < 2) {
                continue;
            }
            // clients are in start order, so `calls` is too; ties keep the capture's order. Neighbours whose
            // parents cross swap them when both stay enclosed, until the order holds (bubble passes, bounded).
            for (int pass = 0; pass < MAX_ORDER_PASSES; pass++) {
                boolean swapped = false;
                for (int k = 0; k + 1 < calls.size(); k++) {
                    int a = calls.get(k);
                    int b = calls.get(k + 1);
                    int pa = parentOf[a];
                    int pb = parentOf[b];
                    if (servers.get(pa).startNs() > servers.get(pb).startNs()
                            && indexOf(candidates[a], pb) >= 0 && indexOf(candidates[b], pa) >= 0) {
                        assign(a, pb);
                        assign(b, pa);
                        swapped = true;
                    }
                }
                if (!swapped) {
                    break;
                }
            }
        }
    }

    private int edgeOf(int i, int j) {
        return edgeIndex[i][indexOf(candidates[i], j)];
    }

    private static int indexOf(int[] values, int value) {
        for (int k = 0; k < values.length; k++) {
            if (values[k] == value) {
                return k;
            }
        }
        return -1;
    }

    // ---- features -------------------------------------------------------------------------------------------

    /** The features of client i under candidate parent j (index q in its candidate list), given the others. */
    private Features features(int i, int q) {
        int j = candidates[i][q];
        Span c = clients.get(i);
        Span p = servers.get(j);
        long previous = p.startNs();
        long next = p.endNs();
        boolean overlaps = false;
        List<Span> earlier = earlierOf.get(j);
        int[] earlierKeys = earlierKeysOf.get(j);
        List<Integer> current = childrenOf.get(j);
        for (int k = 0, n = earlier.size() + current.size(); k < n; k++) {
            Span s;
            if (k < earlier.size()) {
                if (!regular[earlierKeys[k]]) {
                    continue;
                }
                s = earlier.get(k);
            } else {
                int other = current.get(k - earlier.size());
                if (other == i || !regular[keyOf[other]]) {
                    continue;
                }
                s = clients.get(other);
            }
            if (s.endNs() <= c.startNs()) {
                previous = Math.max(previous, s.endNs());
            } else if (s.startNs() >= c.endNs()) {
                next = Math.min(next, s.startNs());
            } else {
                overlaps = true;
            }
        }
        int similarity = similarityBin[i][q];
        return scratch.set(edgeIndex[i][q], c.startNs() - previous, next - c.endNs(), c.startNs() - p.startNs(),
                p.endNs() - c.endNs(), overlaps ? 1 : 0, c.tid() == p.tid() ? 1 : 0, similarity);
    }

    /** Reused for every evaluation (a window is decided on one thread): the hot loop allocates nothing. */
    private final Features scratch = new Features();

    /** The features of one (client, candidate) pair; valid until the next {@code features} call. */
    private static final class Features {
        private int edge;
        private long previousGap;
        private long nextGap;
        private long startOffset;
        private long endOffset;
        private int overlap;
        private int thread;
        private int similarity;

        Features set(int edge, long previousGap, long nextGap, long startOffset, long endOffset, int overlap,
                int thread, int similarity) {
            this.edge = edge;
            this.previousGap = previousGap;
            this.nextGap = nextGap;
            this.startOffset = startOffset;
            this.endOffset = endOffset;
            this.overlap = overlap;
            this.thread = thread;
            this.similarity = similarity;
            return this;
        }

        int edge() {
            return edge;
        }

        long previousGap() {
            return previousGap;
        }

        long nextGap() {
            return nextGap;
        }

        long startOffset() {
            return startOffset;
        }

        long endOffset() {
            return endOffset;
        }

        int overlap() {
            return overlap;
        }

        int thread() {
            return thread;
        }

        int similarity() {
            return similarity;
        }
    }

    /** Log-likelihood (up to a per-client constant) that candidate q is client i's parent. */
    private double logLikelihood(int i, int q) {
        Features f = features(i, q);
        Learned.EdgeDensities d = learned.edges[f.edge()];
        double ll = 0;
        if (d != null) {
            ll += d.previousGap.logDensity(f.previousGap()) + d.nextGap.logDensity(f.nextGap());
            ll += d.startOffset.logDensity(f.startOffset()) + d.endOffset.logDensity(f.endOffset());
        }
        ll += learned.overlap.logRatio(f.overlap());
        ll += threadPerRequest ? ThreadExclusivity.strongLogRatio(f.thread()) : learned.thread.logRatio(f.thread());
        if (f.similarity() >= 0) {
            ll += learned.similarity.logRatio(f.similarity());
        }
        ll += affinity[f.edge()] + callPrior[f.edge()];
        if (readTriggered[f.edge()]) {
            int first = firstCall[candidates[i][q]];
            if (first == i) {
                ll += ReadTriggered.LOG_RATIO;
            } else if (first >= 0 && keyOf[first] == keyOf[i]) {
                ll -= ReadTriggered.LOG_RATIO; // its request's first such call was another one
            }
        }
        return ll;
    }

    private double slotCost(int i, int q, int slot) {
        return edgeModels[edgeIndex[i][q]].slotCost(earlierSame[i][q] + slot);
    }

    /**
     * Nested API affinity: per edge, the correlation of the parent endpoint's and the child key's request counts
     * over 10 ms buckets of the window. An endpoint whose traffic does not move with a child's is an unlikely
     * parent; with a single parent endpoint it is the same for every candidate and decides nothing.
     */
    private void computeAffinity() {
        affinity = new double[edgeList.size()];
        if (clients.isEmpty()) {
            return;
        }
        long t0 = Math.min(clients.get(0).startNs(), servers.isEmpty() ? Long.MAX_VALUE : servers.get(0).startNs());
        long t1 = clients.get(clients.size() - 1).startNs();
        int buckets = (int) Math.min(4096, (t1 - t0) / AFFINITY_BUCKET_NS + 1);
        if (buckets < 4) {
            return;
        }
        Map<String, double[]> parentSeries = new HashMap<>();
        for (Span s : servers) {
            long b = (s.startNs() - t0) / AFFINITY_BUCKET_NS;
            if (b >= 0 && b < buckets) {
                parentSeries.computeIfAbsent(String.valueOf(s.endpoint()), k -> new double[buckets])[(int) b]++;
            }
        }
        Map<String, double[]> childSeries = new HashMap<>();
        for (int i = 0; i < clients.size(); i++) {
            long b = (clients.get(i).startNs() - t0) / AFFINITY_BUCKET_NS;
            if (b >= 0 && b < buckets) {
                childSeries.computeIfAbsent(childKeys[i], k -> new double[buckets])[(int) b]++;
            }
        }
        if (parentSeries.size() < 2) {
            return;
        }
        for (int e = 0; e < edgeList.size(); e++) {
            String[] parentAndChild = edgeList.get(e).split(" -> ", 2);
            double[] p = parentSeries.get(parentAndChild[0]);
            double[] c = childSeries.get(parentAndChild[1]);
            if (p != null && c != null) {
                affinity[e] = Math.log((1 + Math.max(0, pearson(p, c))) / 2 + 0.05);
            }
        }
    }

    static double pearson(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    // ---- learning -------------------------------------------------------------------------------------------

    /** The process model plus what the current assignment of this window says. */
    private final class Learned {
        final EdgeDensities[] edges = new EdgeDensities[edgeList.size()];
        final Evidence thread = model.thread.copy(Double.MAX_VALUE);
        final Evidence overlap = model.overlap.copy(Double.MAX_VALUE);
        final Evidence similarity = model.similarity.copy(Double.MAX_VALUE);

        final class EdgeDensities {
            final LogHistogram previousGap = new LogHistogram(Double.MAX_VALUE);
            final LogHistogram nextGap = new LogHistogram(Double.MAX_VALUE);
            final LogHistogram startOffset = new LogHistogram(Double.MAX_VALUE);
            final LogHistogram endOffset = new LogHistogram(Double.MAX_VALUE);
        }

        Learned() {
            for (int e = 0; e < edges.length; e++) {
                EdgeDensities d = new EdgeDensities();
                EdgeModel m = edgeModels[e];
                d.previousGap.addAll(m.previousGap);
                d.nextGap.addAll(m.nextGap);
                d.startOffset.addAll(m.startOffset);
                d.endOffset.addAll(m.endOffset);
                edges[e] = d;
            }
        }
    }

    private Learned learn() {
        learnRegularKeys();
        Learned l = new Learned();
        observe(l.edges, l.thread, l.overlap, l.similarity, null);
        return l;
    }

    /** Among parents with any call, the share making each kind of call, from the current assignment. */
    private void learnRegularKeys() {
        int keys = keyIds.size();
        int[] parentsWith = new int[keys];
        int parents = 0;
        boolean[] seen = new boolean[keys];
        for (int j = 0; j < servers.size(); j++) {
            int[] earlierKeys = earlierKeysOf.get(j);
            List<Integer> current = childrenOf.get(j);
            if (earlierKeys.length == 0 && current.isEmpty()) {
                continue;
            }
            parents++;
            java.util.Arrays.fill(seen, false);
            for (int k : earlierKeys) {
                seen[k] = true;
            }
            for (int c : current) {
                seen[keyOf[c]] = true;
            }
            for (int k = 0; k < keys; k++) {
                if (seen[k]) {
                    parentsWith[k]++;
                }
            }
        }
        regular = new boolean[keys];
        for (int k = 0; k < keys; k++) {
            regular[k] = parents < 10 || parentsWith[k] >= REGULAR_SHARE * parents;
        }
    }

    /** Feeds the current assignment into densities (per edge key) and evidences. */
    private void observe(Learned.EdgeDensities[] windowEdges, Evidence thread, Evidence overlap,
            Evidence similarity, ProcessModel into) {
        for (int i = 0; i < clients.size(); i++) {
            if (parentOf[i] < 0) {
                continue;
            }
            for (int q = 0; q < candidates[i].length; q++) {
                Features f = features(i, q);
                boolean chosen = candidates[i][q] == parentOf[i];
                if (chosen) {
                    if (into != null) {
                        EdgeModel e = into.edge(edgeList.get(f.edge()));
                        e.previousGap.add(f.previousGap());
                        e.nextGap.add(f.nextGap());
                        e.startOffset.add(f.startOffset());
                        e.endOffset.add(f.endOffset());
                    } else {
                        Learned.EdgeDensities d = windowEdges[f.edge()];
                        d.previousGap.add(f.previousGap());
                        d.nextGap.add(f.nextGap());
                        d.startOffset.add(f.startOffset());
                        d.endOffset.add(f.endOffset());
                    }
                }
                if (chosen || candidates[i].length > 1) { // a lone parent still shows what parents look like
                    thread.add(f.thread(), chosen);
                    overlap.add(f.overlap(), chosen);
                    if (f.similarity() >= 0) {
                        similarity.add(f.similarity(), chosen);
                    }
                }
            }
        }
    }

    private void commit(Map<String, List<Integer>> groups) {
        observe(null, model.thread, model.overlap, model.similarity, model);
        long lastClientStart = clients.get(clients.size() - 1).startNs();
        for (int j = 0; j < servers.size(); j++) {
            Span s = servers.get(j);
            if (s.endNs() > lastClientStart || !model.firstCount(s.spanId())) {
                continue;
            }
            for (String key : groups.keySet()) {
                int n = 0;
                for (Span e : earlierOf.get(j)) {
                    if (childKey(e).equals(key)) {
                        n++;
                    }
                }
                for (int c : childrenOf.get(j)) {
                    if (childKeys[c].equals(key)) {
                        n++;
                    }
                }
                model.edge(s.endpoint() + " -> " + key).countParent(n);
            }
        }
    }

    // ---- assignment -----------------------------------------------------------------------------------------

    private void assign(int i, int j) {
        if (parentOf[i] >= 0) {
            childrenOf.get(parentOf[i]).remove(Integer.valueOf(i));
        }
        parentOf[i] = j;
        if (j >= 0) {
            childrenOf.get(j).add(i);
        }
    }

    /**
     * Start: per child key, each client takes the earliest enclosing server without such a call yet, except the
     * calls known to follow their own request's read.
     */
    private void fifo(List<Group> groups) {
        Arrays.fill(parentOf, -1);
        // A call on a read-triggered edge that followed its request's read at once starts with that request: a
        // FIFO start would shift such calls onto older requests, and densities learned from the shift keep it.
        for (int j = 0; j < servers.size(); j++) {
            int f = firstCall[j];
            int q = f < 0 ? -1 : indexOf(candidates[f], j);
            if (q >= 0 && readTriggered[edgeIndex[f][q]] && earlierSame[f][q] == 0) {
                assign(f, j);
            }
        }
        for (Group g : groups) {
            for (int i : g.rows) {
                if (parentOf[i] >= 0) {
                    continue;
                }
                for (int q = 0; q < candidates[i].length; q++) {
                    if (earlierSame[i][q] == 0 && load(candidates[i][q], childKeys[i]) == 0) {
                        assign(i, candidates[i][q]);
                        break;
                    }
                }
            }
        }
    }

    private int load(int j, String childKey) {
        int n = 0;
        for (int c : childrenOf.get(j)) {
            if (childKeys[c].equals(childKey)) {
                n++;
            }
        }
        return n;
    }

    private final class Group {
        final int[] rows;
        final List<int[]> components;

        Group(List<Integer> rows) {
            this.rows = rows.stream().mapToInt(Integer::intValue).toArray();
            this.components = components();
        }

        private List<int[]> components() {
            Map<Integer, Integer> root = new HashMap<>();
            Map<Integer, Integer> firstRowOf = new HashMap<>();
            for (int i : rows) {
                root.put(i, i);
            }
            for (int i : rows) {
                for (int j : candidates[i]) {
                    Integer first = firstRowOf.putIfAbsent(j, i);
                    if (first != null) {
                        root.put(find(root, i), find(root, first));
                    }
                }
            }
            Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
            for (int i : rows) {
                byRoot.computeIfAbsent(find(root, i), r -> new ArrayList<>()).add(i);
            }
            List<int[]> out = new ArrayList<>();
            for (List<Integer> c : byRoot.values()) {
                out.add(c.stream().mapToInt(Integer::intValue).toArray());
            }
            return out;
        }

        private static int find(Map<Integer, Integer> root, int i) {
            while (root.get(i) != i) {
                int up = root.get(root.get(i));
                root.put(i, up);
                i = up;
            }
            return i;
        }

        /** Re-matches every component of the group; true when some client changed parent. */
        boolean match() {
            boolean changed = false;
            for (int[] component : components) {
                changed |= match(component);
            }
            return changed;
        }

        private boolean match(int[] component) {
            // Free the component's clients first: the features of a candidate depend on its other children.
            int[] before = new int[component.length];
            for (int r = 0; r < component.length; r++) {
                before[r] = parentOf[component[r]];
                assign(component[r], -1);
            }
            Map<Integer, Integer> firstColumn = new LinkedHashMap<>();
            List<int[]> columns = new ArrayList<>(); // {server, slot}
            for (int i : component) {
                for (int j : candidates[i]) {
                    if (!firstColumn.containsKey(j)) {
                        firstColumn.put(j, columns.size());
                        int slots = Math.min(component.length, EdgeModel.MAX_CALLS);
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
                for (int q = 0; q < candidates[i].length; q++) {
                    int j = candidates[i][q];
                    double ll = logLikelihood(i, q);
                    for (int col = firstColumn.get(j); col < columns.size() && columns.get(col)[0] == j; col++) {
                        double c = -ll + slotCost(i, q, columns.get(col)[1]);
                        if (c < IMPOSSIBLE) {
                            problem.add(r, col, c);
                        }
                    }
                }
            }
            int[] chosen = problem.solve();
            boolean changed = false;
            for (int r = 0; r < component.length; r++) {
                int col = chosen[r];
                int j = col == SparseMinCostAssignment.UNMATCHED ? -1 : columns.get(col)[0];
                assign(component[r], j);
                changed |= j != before[r];
            }
            return changed;
        }
    }

    // ---- decisions ------------------------------------------------------------------------------------------

    /**
     * The score is the posterior of the chosen parent among the candidates, the other assignments fixed: the
     * fused log-likelihoods (densities, learned evidence ratios, call-count cost) through a softmax.
     */
    private Decision decide(int i) {
        String id = clients.get(i).spanId();
        int chosen = parentOf[i];
        if (chosen < 0) {
            return new Decision(id, null, 0, candidates[i].length);
        }
        double[] ll = new double[candidates[i].length];
        double best = Double.NEGATIVE_INFINITY;
        int chosenAt = 0;
        for (int q = 0; q < ll.length; q++) {
            int j = candidates[i][q];
            int others = load(j, childKeys[i]) - (j == chosen ? 1 : 0);
            ll[q] = logLikelihood(i, q) - slotCost(i, q, others);
            best = Math.max(best, ll[q]);
            if (j == chosen) {
                chosenAt = q;
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
