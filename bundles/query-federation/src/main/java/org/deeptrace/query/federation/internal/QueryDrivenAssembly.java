package org.deeptrace.query.federation.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One query's assembly across agents. Round 1 (done by the caller through {@link #gather}) brings the local traces
 * an agent matched; every further round asks, for each loose end, the agents that can tie it:
 * <ul>
 * <li>a local root that is a server span, called from another host's address → the agents owning that address
 * for the client span that sent the request (and with it its local trace);</li>
 * <li>a client span whose callee is on another host (no server span of the fetched ones has it as parent) → the
 * agents owning the remote address for the server span that received it (and its local trace).</li>
 * </ul>
 * until nothing is loose. Then each server span that was a local root is linked to its caller across hosts by the
 * pipeline's rule (the same connection seen from both ends — local and remote swapped, the same transport — and the
 * server span starting within the client's exchange, {@link #LINK_TOLERANCE_NS} either side; the closest start
 * wins), parents are followed to the root and every span of a tree gets the root's trace id: the id the root's
 * agent gave its local trace, which is the pipeline's (derived from the host setting and the root's span id), so
 * the answer equals what one pipeline assembling all hosts' captures gives.
 *
 * <p>A trace search asks for the search fields of each span only (the agent API's {@code fields=search}): the
 * summaries need no more.
 *
 * <p>Not thread-safe: one instance a query.
 */
final class QueryDrivenAssembly {
    /** As the pipeline's TraceAssembler: both ends stamp an exchange up to tens of µs apart. */
    static final long LINK_TOLERANCE_NS = 100_000L;
    /** Deepest parent chain followed, as in the pipeline. */
    private static final int MAX_DEPTH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(QueryDrivenAssembly.class);

    private final Map<String, AgentClient> agents;
    private final AddressOwners owners;
    private final Executor executor;
    private final LongSupplier clockMs;
    private final long maxExchangeNs;
    private final int maxRounds;
    private final boolean search;

    /** Every span fetched, by id, and the agent it came from. */
    private final Map<String, Span> spans = new LinkedHashMap<>();
    private final Map<String, String> agentOf = new HashMap<>();
    /** Lookups already sent, per agent, so no round repeats one. */
    private final Map<String, Set<String>> asked = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int rounds;

    QueryDrivenAssembly(Map<String, AgentClient> agents, AddressOwners owners, Executor executor, LongSupplier clockMs,
            long maxExchangeNs, int maxRounds, boolean search) {
        this.search = search;
        this.agents = agents;
        this.owners = owners;
        this.executor = executor;
        this.clockMs = clockMs;
        this.maxExchangeNs = maxExchangeNs;
        this.maxRounds = maxRounds;
    }

    /** What one agent is asked in a round. */
    interface Ask {
        List<Span> ask(AgentClient agent) throws IOException;
    }

    /** Asks every agent in parallel (one round) and keeps what they answer. */
    void gather(Ask ask) {
        Map<String, Ask> all = new LinkedHashMap<>();
        agents.keySet().forEach(a -> all.put(a, ask));
        round(all);
    }

    /** Asks each agent named its own question in parallel (one round). */
    void gather(Map<String, Ask> perAgent) {
        round(perAgent);
    }

    /** Asks each agent its own question in parallel (one round). */
    private void round(Map<String, Ask> perAgent) {
        rounds++;
        Map<String, CompletableFuture<List<Span>>> pending = new LinkedHashMap<>();
        for (Map.Entry<String, Ask> e : perAgent.entrySet()) {
            AgentClient agent = agents.get(e.getKey());
            pending.put(e.getKey(), CompletableFuture.supplyAsync(() -> {
                try {
                    return e.getValue().ask(agent);
                } catch (IOException ex) {
                    throw new CompletionException(ex);
                }
            }, executor));
        }
        for (Map.Entry<String, CompletableFuture<List<Span>>> e : pending.entrySet()) {
            try {
                add(e.getKey(), e.getValue().join());
            } catch (CompletionException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                LOG.warn("query server: agent {} failed, answering without it: {}", e.getKey(), cause.getMessage());
                failures.add(e.getKey() + ": " + cause.getMessage());
            }
        }
    }

    private void add(String agent, List<Span> answer) {
        for (Span s : answer) {
            if (spans.putIfAbsent(s.spanId(), s) == null) {
                agentOf.put(s.spanId(), agent);
            }
            owners.learn(agent, s.local());
        }
    }

    /** Completion rounds until no loose end is left to ask about (or the round limit). */
    void complete() {
        complete(false);
    }

    /**
     * Completion rounds that ask only for the callers of local roots: enough to know each trace's root, so its
     * start, without fetching the callees of traces that may turn out not to be in the answer.
     */
    void completeUpward() {
        complete(true);
    }

    /** Drops every span whose assembled trace is not among {@code traceIds} (they will not be asked about). */
    void retainTraces(Set<String> traceIds) {
        Map<String, String> links = links();
        Map<String, String> traceOf = new HashMap<>();
        List<String> drop = new ArrayList<>();
        for (Span s : spans.values()) {
            if (!traceIds.contains(rootTrace(s, links, traceOf))) {
                drop.add(s.spanId());
            }
        }
        for (String id : drop) {
            spans.remove(id);
            agentOf.remove(id);
        }
    }

    private void complete(boolean upwardOnly) {
        while (rounds < maxRounds) {
            Map<String, String> links = links();
            Map<String, List<String>> lookups = new LinkedHashMap<>();
            Set<String> broadcast = new HashSet<>();
            Set<String> hasChild = new HashSet<>();
            for (Span s : spans.values()) {
                String parent = s.parentSpanId() != null ? s.parentSpanId() : links.get(s.spanId());
                if (parent != null) {
                    hasChild.add(parent);
                }
            }
            long now = clockMs.getAsLong();
            for (Span s : spans.values()) {
                String agent = agentOf.get(s.spanId());
                String l4 = s.l4() == null ? "-" : s.l4().wireName();
                if (s.kind() == SpanKind.SERVER && s.parentSpanId() == null && !links.containsKey(s.spanId())) {
                    long from = Math.max(0, s.startNs() - maxExchangeNs);
                    String lookup = "client " + l4 + " " + s.remote() + " " + s.local() + " " + from + " "
                            + (s.startNs() + LINK_TOLERANCE_NS) + " " + (s.startNs() - LINK_TOLERANCE_NS);
                    plan(lookups, broadcast, agent, s.remote(), lookup, now);
                } else if (!upwardOnly && s.kind() == SpanKind.CLIENT && !hasChild.contains(s.spanId())) {
                    String lookup = "server " + l4 + " " + s.remote() + " " + s.local() + " "
                            + Math.max(0, s.startNs() - LINK_TOLERANCE_NS) + " " + (s.endNs() + LINK_TOLERANCE_NS);
                    plan(lookups, broadcast, agent, s.remote(), lookup, now);
                }
            }
            if (lookups.isEmpty()) {
                return;
            }
            Map<String, Ask> asks = new LinkedHashMap<>();
            lookups.forEach((agent, lines) -> asks.put(agent, a -> a.complete(lines, search)));
            round(asks);
            for (String address : broadcast) {
                owners.unowned(address, now);
            }
        }
        LOG.debug("query server: stopped completing after {} rounds", rounds);
    }

    /** Puts the lookup on the list of each agent that may answer it, other than the span's own, unless asked. */
    private void plan(Map<String, List<String>> lookups, Set<String> broadcast, String ownAgent, String peer,
            String lookup, long nowMs) {
        Set<String> targets = owners.of(peer, nowMs);
        if (targets == null) {
            targets = agents.keySet();
            broadcast.add(peer);
        }
        for (String agent : targets) {
            if (!agent.equals(ownAgent) && agents.containsKey(agent)
                    && asked.computeIfAbsent(agent, k -> new HashSet<>()).add(lookup)) {
                lookups.computeIfAbsent(agent, k -> new ArrayList<>()).add(lookup);
            }
        }
    }

    /**
     * Server span id → the client span on another agent that reached it, for the server spans that were local
     * roots: the pipeline's rule (see the class comment).
     */
    Map<String, String> links() {
        Map<String, List<Span>> clientsByServerSide = new HashMap<>();
        for (Span c : spans.values()) {
            if (c.kind() == SpanKind.CLIENT) {
                clientsByServerSide.computeIfAbsent(c.l4() + "|" + c.remote() + "|" + c.local(),
                        k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, String> links = new HashMap<>();
        for (Span s : spans.values()) {
            if (s.kind() == SpanKind.CLIENT || s.parentSpanId() != null) {
                continue;
            }
            List<Span> clients = clientsByServerSide.get(s.l4() + "|" + s.local() + "|" + s.remote());
            if (clients == null) {
                continue;
            }
            Span best = null;
            for (Span c : clients) {
                if (agentOf.get(c.spanId()).equals(agentOf.get(s.spanId()))) {
                    continue; // its own agent already linked what it could
                }
                if (s.startNs() >= c.startNs() - LINK_TOLERANCE_NS && s.startNs() <= c.endNs() + LINK_TOLERANCE_NS
                        && (best == null || Math.abs(c.startNs() - s.startNs()) < Math.abs(best.startNs()
                                - s.startNs()))) {
                    best = c;
                }
            }
            if (best != null) {
                links.put(s.spanId(), best.spanId());
            }
        }
        return oneServerPerClient(links);
    }

    /**
     * A request reaches one server: when several server spans chose the same client span, only the one that started
     * closest to it keeps the link. The others stay loose, so the next round fetches their own callers. Without
     * this, on a keep-alive connection the next request's server span (starting within the tolerance after the
     * previous exchange ended) took the previous client span when its own had not been fetched yet, and a whole
     * second request hung under the first one's trace.
     */
    private Map<String, String> oneServerPerClient(Map<String, String> links) {
        Map<String, String> serverOfClient = new HashMap<>();
        for (Map.Entry<String, String> e : links.entrySet()) {
            Span client = spans.get(e.getValue());
            serverOfClient.merge(e.getValue(), e.getKey(), (held, other) ->
                    distance(spans.get(other), client) < distance(spans.get(held), client)
                            || (distance(spans.get(other), client) == distance(spans.get(held), client)
                                    && other.compareTo(held) < 0) ? other : held);
        }
        Map<String, String> kept = new HashMap<>();
        serverOfClient.forEach((client, server) -> kept.put(server, client));
        return kept;
    }

    private static long distance(Span server, Span client) {
        return Math.abs(server.startNs() - client.startNs());
    }

    /**
     * Every fetched span as the assembled trace has it: local roots linked to their callers across hosts, and the
     * trace id of its tree's root. In start order.
     */
    List<Span> assembled() {
        Map<String, String> links = links();
        Map<String, String> traceOf = new HashMap<>();
        List<Span> out = new ArrayList<>(spans.size());
        for (Span s : spans.values()) {
            String traceId = rootTrace(s, links, traceOf);
            String link = links.get(s.spanId());
            Span linked = link != null ? s.withParent(link, s.correlation()) : s;
            out.add(linked.withTraceId(traceId));
        }
        out.sort(Comparator.comparingLong(Span::startNs).thenComparing(Span::spanId));
        return out;
    }

    private String rootTrace(Span start, Map<String, String> links, Map<String, String> traceOf) {
        List<String> chain = new ArrayList<>();
        Span cur = start;
        String traceId;
        while (true) {
            chain.add(cur.spanId());
            if (traceOf.containsKey(cur.spanId())) {
                traceId = traceOf.get(cur.spanId());
                break;
            }
            String parent = cur.parentSpanId() != null ? cur.parentSpanId() : links.get(cur.spanId());
            Span p = parent == null ? null : spans.get(parent);
            if (p == null || chain.size() >= MAX_DEPTH) {
                // The root (or a span whose parent is nowhere): its agent named its local trace after it.
                traceId = cur.traceId();
                break;
            }
            cur = p;
        }
        for (String id : chain) {
            traceOf.put(id, traceId);
        }
        return traceId;
    }

    int rounds() {
        return rounds;
    }

    int spanCount() {
        return spans.size();
    }

    List<String> failures() {
        return failures;
    }

    static List<Span> byTrace(Collection<Span> spans, String traceId) {
        List<Span> out = new ArrayList<>();
        for (Span s : spans) {
            if (traceId.equals(s.traceId())) {
                out.add(s);
            }
        }
        return out;
    }
}
