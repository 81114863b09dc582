package org.deeptrace.query.federation.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.LatencyHistogram;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SpanStore} over agents: trace search and trace-by-id are answered by query-driven assembly (see
 * {@link QueryDrivenAssembly}), so only the spans of the traces asked for travel. The other methods merge the
 * agents' own answers. Thread-safe: each query has its own assembly; what is shared (address owners, traffic
 * counters) is concurrent.
 */
public final class FederatedSpanStore implements SpanStore {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedSpanStore.class);

    private final Map<String, AgentClient> agents = new LinkedHashMap<>();
    private final AddressOwners owners;
    private final Executor executor;
    private final LongSupplier clockMs;
    private final long maxExchangeNs;
    private final int maxRounds;
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong mostRounds = new AtomicLong();

    /**
     * @param maxExchangeNs how far before a server span its caller's request may have started (the longest
     *     client exchange looked for)
     * @param maxRounds rounds of requests one query may take, the first included
     */
    public FederatedSpanStore(List<AgentClient> agents, Executor executor, long maxExchangeNs, int maxRounds) {
        this(agents, executor, maxExchangeNs, maxRounds, System::currentTimeMillis);
    }

    FederatedSpanStore(List<AgentClient> agents, Executor executor, long maxExchangeNs, int maxRounds,
            LongSupplier clockMs) {
        for (AgentClient a : agents) {
            if (this.agents.put(a.name(), a) != null) {
                throw new IllegalArgumentException("agent name '" + a.name() + "' is given twice");
            }
        }
        if (maxRounds < 1) {
            throw new IllegalArgumentException("max rounds must be at least 1, not " + maxRounds);
        }
        this.owners = new AddressOwners(300_000);
        this.executor = executor;
        this.clockMs = clockMs;
        this.maxExchangeNs = maxExchangeNs;
        this.maxRounds = maxRounds;
    }

    public List<AgentClient> agents() {
        return List.copyOf(agents.values());
    }

    /** Queries answered by assembly (trace search and trace by id). */
    public long queries() {
        return queries.get();
    }

    /** Rounds of requests those queries took. */
    public long rounds() {
        return rounds.get();
    }

    private QueryDrivenAssembly assembly(boolean search) {
        return new QueryDrivenAssembly(agents, owners, executor, clockMs, maxExchangeNs, maxRounds, search);
    }

    @Override
    public List<TraceSummary> traces(TraceQuery query) {
        long before = bytes();
        QueryDrivenAssembly a = assembly(true);
        String traceId = query.tags().get("trace_id");
        if (traceId != null) {
            // Agents know their local trace ids only; the trace's root agent has its local trace under this id.
            a.gather(agent -> agent.trace(traceId.toLowerCase(Locale.ROOT)));
            a.complete();
            List<TraceSummary> out = TraceAnalysis.traces(a.assembled(), query);
            done(a, "traces " + query, before);
            return out;
        }
        Map<String, Long> next = new ConcurrentHashMap<>();
        a.gather(agent -> page(next, agent, agent.page(query, 0, Long.MAX_VALUE, true)));
        a.complete();
        while (true) {
            List<TraceSummary> out = TraceAnalysis.traces(a.assembled(), query);
            Map<String, QueryDrivenAssembly.Ask> more = nextPages(next, out, query);
            if (more.isEmpty() || a.rounds() >= maxRounds) {
                done(a, "traces " + query, before);
                return out;
            }
            a.gather(more);
            // Which of the new fragments' traces enter the answer is known once their roots are: fetch the
            // callers first, keep the traces that rank, then fetch the rest of those only.
            a.completeUpward();
            Set<String> ranked = new HashSet<>();
            TraceAnalysis.traces(a.assembled(), query).forEach(t -> ranked.add(t.traceId()));
            a.retainTraces(ranked);
            a.complete();
        }
    }

    /** Records when the agent's next local trace started (absent: none) and passes the page's spans on. */
    private static List<Span> page(Map<String, Long> next, AgentClient agent, AgentClient.Page page) {
        if (page.nextStartNs() == Long.MIN_VALUE) {
            next.remove(agent.name());
        } else {
            next.put(agent.name(), page.nextStartNs());
        }
        return page.spans();
    }

    /**
     * The agents to ask for their next, older page. An agent ranks its local traces by when the trace's fragment on
     * that host started; the answer ranks traces by when the whole trace (its root, on whichever host) started,
     * which is never later. A matching trace an agent left off its page has a fragment that started at or before the
     * start N of the agent's next local trace (the agent tells it), so its root started then or earlier too; it can
     * enter the answer only if its root, so its fragment, started at or after the answer's last trace's start L
     * (every trace when the answer has fewer than the limit). So an agent with N &gt;= L is asked for its local
     * traces that started in [L, N] (the agent API's {@code after=} and {@code before=}), completed as usual, and so
     * on until every agent's next start is before L. L only moves later as traces are added.
     */
    private static Map<String, QueryDrivenAssembly.Ask> nextPages(Map<String, Long> next, List<TraceSummary> answer,
            TraceQuery query) {
        Map<String, QueryDrivenAssembly.Ask> more = new LinkedHashMap<>();
        if (query.limit() == 0) {
            return more;
        }
        long last = answer.size() < query.limit() ? Long.MIN_VALUE : answer.get(query.limit() - 1).startNs();
        for (Map.Entry<String, Long> e : next.entrySet()) {
            long nextNs = e.getValue();
            if (nextNs >= last) {
                long afterNs = Math.max(0, last);
                long beforeNs = nextNs == Long.MAX_VALUE ? Long.MAX_VALUE : nextNs + 1;
                more.put(e.getKey(), agent -> page(next, agent, agent.page(query, afterNs, beforeNs, true)));
            }
        }
        return more;
    }

    @Override
    public List<Span> trace(String traceId) {
        String id = traceId.toLowerCase(Locale.ROOT);
        long before = bytes();
        QueryDrivenAssembly a = assembly(false);
        a.gather(agent -> agent.trace(id));
        a.complete();
        List<Span> out = QueryDrivenAssembly.byTrace(a.assembled(), id);
        done(a, "trace " + id, before);
        return out;
    }

    private void done(QueryDrivenAssembly a, String what, long bytesBefore) {
        queries.incrementAndGet();
        rounds.addAndGet(a.rounds());
        mostRounds.accumulateAndGet(a.rounds(), Math::max);
        if (LOG.isDebugEnabled()) {
            LOG.debug("query server: {}: {} rounds, {} spans fetched, about {} bytes moved (all agents, concurrent "
                    + "queries included){}", what, a.rounds(), a.spanCount(), bytes() - bytesBefore,
                    a.failures().isEmpty() ? "" : ", failed agents " + a.failures());
        }
    }

    /**
     * {@code federation.queries} (trace searches and traces by id answered by assembly), {@code federation.rounds}
     * (their rounds of requests; divided by queries: rounds per query), {@code federation.rounds_max} (the most one
     * query took), {@code federation.spans_received}, {@code federation.bytes} (both ways, on the wire), and per
     * agent {@code federation.agent.NAME.}{@code requests}, {@code failures} (of which {@code timeouts}),
     * {@code bytes_sent}, {@code bytes_received} (on the wire: gzip bodies compressed),
     * {@code bytes_received_uncompressed} (the bodies decompressed) and {@code spans_received}. Every request to an
     * agent counts, also those of the merged answers (dependencies, latency, span search, size).
     */
    @Override
    public Map<String, Long> storeCounters() {
        Map<String, Long> out = new TreeMap<>();
        out.put("federation.queries", queries.get());
        out.put("federation.rounds", rounds.get());
        out.put("federation.rounds_max", mostRounds.get());
        long spans = 0;
        for (AgentClient a : agents.values()) {
            Traffic t = a.traffic();
            String p = "federation.agent." + a.name() + ".";
            out.put(p + "requests", t.requests());
            out.put(p + "failures", t.failures());
            out.put(p + "timeouts", t.timeouts());
            out.put(p + "bytes_sent", t.bytesSent());
            out.put(p + "bytes_received", t.bytesReceived());
            out.put(p + "bytes_received_uncompressed", t.bodyBytesReceived());
            out.put(p + "spans_received", t.spansReceived());
            spans += t.spansReceived();
        }
        out.put("federation.spans_received", spans);
        out.put("federation.bytes", bytes());
        return out;
    }

    /** Bytes moved with every agent so far, both ways. */
    public long bytes() {
        long n = 0;
        for (AgentClient a : agents.values()) {
            n += a.traffic().bytes();
        }
        return n;
    }

    /**
     * The newest matching spans of every agent, as the agents store them: their parents and trace ids are the
     * agents' own (not assembled across hosts).
     */
    @Override
    public List<Span> find(SpanQuery query) {
        List<Span> all = new ArrayList<>();
        for (AgentClient a : agents.values()) {
            try {
                all.addAll(a.find(query));
            } catch (IOException e) {
                LOG.warn("query server: agent {} did not answer a span search: {}", a.name(), e.getMessage());
            }
        }
        all.sort(Comparator.comparingLong(Span::startNs).reversed());
        return all.size() > query.limit() ? new ArrayList<>(all.subList(0, query.limit())) : all;
    }

    /** The sum of the agents' sizes (agents that fail to answer count 0). */
    @Override
    public long size() {
        long n = 0;
        for (AgentClient a : agents.values()) {
            try {
                n += a.size();
            } catch (IOException e) {
                LOG.warn("query server: agent {} did not tell its size: {}", a.name(), e.getMessage());
            }
        }
        return n;
    }

    /**
     * The agents' dependency graphs merged. Edges within a host are the agents' own. A call to another host, which
     * its agent names by the callee's address (it never saw the server span), is named by the process serving that
     * address, as one pipeline over all hosts names it: the agents owning the address's IP are asked for one server
     * span on it (one small request per address; an address no agent serves keeps its name). Calls, error counts
     * and rates then add up exactly, and so do the percentiles of an edge only one agent reports (every edge, when
     * each process runs on one host); an edge several agents report gets the call-weighted mean of their
     * percentiles, an approximation.
     */
    @Override
    public List<DependencyLink> dependencies(long startNs, long endNs) {
        Map<String, List<JsonAnswers.Edge>> byKey = new TreeMap<>();
        Map<String, String[]> callees = new HashMap<>();
        for (AgentClient a : agents.values()) {
            try {
                for (JsonAnswers.Edge e : a.dependencies(startNs, endNs)) {
                    String child = e.child();
                    int childPid = e.childPid();
                    if (childPid == 0 && child != null && child.indexOf(':') > 0) {
                        String[] callee = callees.computeIfAbsent(child, addr -> callee(a.name(), addr, startNs,
                                endNs));
                        if (callee != null) {
                            child = callee[0];
                            childPid = Integer.parseInt(callee[1]);
                        }
                    }
                    JsonAnswers.Edge named = new JsonAnswers.Edge(e.parent(), e.parentPid(), child, childPid,
                            e.calls(), e.callsPerSecond(), e.errorRate(), e.p50Ns(), e.p90Ns(), e.p99Ns());
                    byKey.computeIfAbsent(String.format("%s\u0000%010d\u0000%s\u0000%010d", named.parent(),
                            named.parentPid(), named.child(), named.childPid()), k -> new ArrayList<>()).add(named);
                }
            } catch (IOException e) {
                LOG.warn("query server: agent {} did not answer dependencies: {}", a.name(), e.getMessage());
            }
        }
        List<DependencyLink> out = new ArrayList<>();
        for (List<JsonAnswers.Edge> edges : byKey.values()) {
            out.add(merge(edges));
        }
        return out;
    }

    /** The {comm, tgid} of the process another agent saw serving {@code address}, or null when none did. */
    private String[] callee(String reportingAgent, String address, long startNs, long endNs) {
        TraceQuery q = new TraceQuery(null, null, null, null, 0, Long.MAX_VALUE, startNs, endNs,
                Map.of("kind", SpanKind.SERVER.wireName(), "local", address), 1);
        java.util.Set<String> targets = owners.of(address, clockMs.getAsLong());
        for (AgentClient a : agents.values()) {
            if (a.name().equals(reportingAgent) || (targets != null && !targets.contains(a.name()))) {
                continue;
            }
            try {
                for (Span s : a.traces(q, true)) {
                    owners.learn(a.name(), s.local());
                    if (s.kind() == SpanKind.SERVER && address.equals(s.local()) && s.comm() != null) {
                        return new String[] {s.comm(), Integer.toString(s.tgid())};
                    }
                }
            } catch (IOException e) {
                LOG.warn("query server: agent {} did not say who serves {}: {}", a.name(), address, e.getMessage());
            }
        }
        return null;
    }

    private static DependencyLink merge(List<JsonAnswers.Edge> edges) {
        JsonAnswers.Edge first = edges.get(0);
        if (edges.size() == 1) {
            return new DependencyLink(first.parent(), first.parentPid(), first.child(), first.childPid(),
                    first.calls(), first.callsPerSecond(), first.errorRate(), first.p50Ns(), first.p90Ns(),
                    first.p99Ns());
        }
        long calls = 0;
        double rate = 0;
        double errors = 0;
        double p50 = 0;
        double p90 = 0;
        double p99 = 0;
        for (JsonAnswers.Edge e : edges) {
            calls += e.calls();
            rate += e.callsPerSecond();
            errors += e.errorRate() * e.calls();
            p50 += (double) e.p50Ns() * e.calls();
            p90 += (double) e.p90Ns() * e.calls();
            p99 += (double) e.p99Ns() * e.calls();
        }
        return new DependencyLink(first.parent(), first.parentPid(), first.child(), first.childPid(), calls, rate,
                calls == 0 ? 0 : Math.round(errors) / (double) calls, Math.round(p50 / Math.max(1, calls)),
                Math.round(p90 / Math.max(1, calls)), Math.round(p99 / Math.max(1, calls)));
    }

    /**
     * The agents' histograms of the service's endpoints merged bucket by bucket: counts, errors, minimum, maximum
     * and percentiles are exactly a single store's; the mean is within a nanosecond or so (agents send it rounded).
     */
    @Override
    public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
        Map<String, LatencyHistogram> histograms = new TreeMap<>();
        Map<String, Long> errors = new HashMap<>();
        for (AgentClient a : agents.values()) {
            try {
                for (JsonAnswers.Latency l : a.endpointLatency(service, startNs, endNs)) {
                    String key = l.endpoint() + '\u0000' + l.kind().wireName();
                    histograms.computeIfAbsent(key, k -> new LatencyHistogram()).addAll(rebuild(l));
                    errors.merge(key, l.errors(), Long::sum);
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("query server: agent {} did not answer endpoint latency: {}", a.name(), e.getMessage());
            }
        }
        List<EndpointLatency> out = new ArrayList<>();
        for (Map.Entry<String, LatencyHistogram> e : histograms.entrySet()) {
            int sep = e.getKey().lastIndexOf('\u0000');
            out.add(new EndpointLatency(service, e.getKey().substring(0, sep),
                    SpanKind.fromWireName(e.getKey().substring(sep + 1)), e.getValue(), errors.get(e.getKey())));
        }
        return out;
    }

    /** The bin whose lower bound the agent wrote (computing the bin of the bound could round into the one below). */
    private static int binOfLowerBound(long lowerNs) {
        int i = LatencyHistogram.bin(lowerNs);
        while (i + 1 < LatencyHistogram.BINS && LatencyHistogram.lowerBoundNs(i + 1) <= lowerNs) {
            i++;
        }
        return i;
    }

    /**
     * A histogram with the agent's bins, minimum and maximum: the minimum and maximum are added as themselves, every
     * other duration as a value inside its bin chosen so that the sum comes close to count × mean.
     */
    static LatencyHistogram rebuild(JsonAnswers.Latency l) {
        LatencyHistogram h = new LatencyHistogram();
        if (l.count() == 0) {
            return h;
        }
        long[] counts = new long[LatencyHistogram.BINS];
        for (Map.Entry<Long, Long> b : l.buckets().entrySet()) {
            counts[binOfLowerBound(b.getKey())] += b.getValue();
        }
        h.add(l.minNs());
        counts[LatencyHistogram.bin(l.minNs())]--;
        if (l.count() > 1) {
            h.add(l.maxNs());
            counts[LatencyHistogram.bin(l.maxNs())]--;
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("the buckets of " + l.service() + " " + l.endpoint()
                        + " do not hold its minimum and maximum");
            }
        }
        long remaining = Math.max(0, l.count() - (l.count() > 1 ? 2 : 1));
        long budget = l.meanNs() * l.count() - l.minNs() - (l.count() > 1 ? l.maxNs() : 0);
        for (int i = 0; i < LatencyHistogram.BINS; i++) {
            for (long k = 0; k < counts[i]; k++) {
                long lo = Math.max(LatencyHistogram.lowerBoundNs(i), l.minNs());
                long hi = Math.min(i == LatencyHistogram.BINS - 1 ? l.maxNs() : LatencyHistogram.upperBoundNs(i) - 1,
                        l.maxNs());
                // Spread what is left of the sum evenly over what is left of the values, kept inside the bin.
                long want = remaining > 0 ? budget / remaining : lo;
                long v = Math.max(lo, Math.min(hi, want));
                if (LatencyHistogram.bin(v) != i) {
                    v = LatencyHistogram.bin(lo) == i ? lo : hi;
                }
                h.add(v);
                budget -= v;
                remaining--;
            }
        }
        return h;
    }
}
