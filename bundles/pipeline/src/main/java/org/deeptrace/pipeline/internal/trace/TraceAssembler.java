package org.deeptrace.pipeline.internal.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.SpanOutput;

/**
 * Trace assembly after correlation, on one host or across the hosts whose captures meet in this pipeline. Links
 * each server span to the client span of another process that reached it — the same connection seen from both
 * ends, confirmed by the TCP sequence number of the request's first byte where both ends captured it (which holds
 * whatever the hosts' clocks say), else by time (the server receiving the request while the client's exchange is
 * open) — follows parents to the root and gives every span of a tree one {@code trace_id} derived from the root's
 * span id.
 *
 * <p>Both ends of a connection, and the ancestors of a span, come out of correlation in different windows, so spans
 * are held until the capture clock passes their end plus the hold (the correlation window plus its grace: by then
 * every ancestor's window has been decided). Spans that still come late join the trace of their emitted parent
 * through a map of recently emitted spans; memory is bounded by the hold, not the run. Not thread-safe.
 */
public final class TraceAssembler {
    /**
     * Both ends of a connection stamp the same exchange at slightly different instants (syscall entry and exit; up
     * to 27 µs apart on the shared dataset). Kept well under the length of a short exchange, so the next exchange
     * on a keep-alive connection is not mistaken for this one.
     */
    static final long LINK_TOLERANCE_NS = 100_000L;
    /**
     * Both ends agreeing on the request's sequence number are the same exchange even when their hosts' clocks
     * disagree by up to this much; the bound only guards against a sequence number reused after 4 GiB.
     */
    static final long SEQ_LINK_MAX_SKEW_NS = 10_000_000_000L;
    /** Deepest parent chain followed; a longer one (or a cycle) is cut there and its top treated as the root. */
    private static final int MAX_DEPTH = 256;
    private static final Comparator<Held> BY_START = Comparator.comparingLong(h -> h.span.startNs());

    private final String host;
    private final Counters counters;
    private final SpanOutput output;
    private final RequestSequences sequences;
    private long holdNs;

    private final Map<String, Held> held = new HashMap<>();
    /** The same spans, the one ending first at the head. */
    private final PriorityQueue<Held> byEnd = new PriorityQueue<>(Comparator.comparingLong(h -> h.span.endNs()));
    /** Held client spans by their connection as the server end sees it (local and remote swapped). */
    private final Map<String, List<Held>> heldClients = new HashMap<>();
    /** Held server spans not yet linked for good, by their connection. */
    private final Map<String, List<Held>> heldServers = new HashMap<>();

    /** Recently emitted span id → trace id, for late children; expired in emission order. */
    private final Map<String, String> emittedTraces = new HashMap<>();
    /** Recently emitted client spans by their connection as the server end sees it, for late server spans. */
    private final Map<String, List<Emitted>> emittedClients = new HashMap<>();
    private final ArrayDeque<Emitted> emittedOrder = new ArrayDeque<>();

    public TraceAssembler(String host, long holdNs, Counters counters, SpanOutput output) {
        this(host, holdNs, counters, output, new RequestSequences());
    }

    /** @param sequences where span assembly left each span's request sequence number */
    public TraceAssembler(String host, long holdNs, Counters counters, SpanOutput output,
            RequestSequences sequences) {
        this.host = host;
        this.counters = counters;
        this.output = output;
        this.sequences = sequences;
        setHold(holdNs);
    }

    /** How long (capture time) a span waits after its end for its ancestors and its other connection end. */
    public void setHold(long holdNs) {
        if (holdNs < 0) {
            throw new IllegalArgumentException("hold must not be negative");
        }
        this.holdNs = holdNs;
    }

    /** A batch of correlated spans. */
    public void spans(List<Span> spans) {
        for (Span s : spans) {
            accept(s);
        }
    }

    /** Spans held, waiting for their hold to pass. */
    public int held() {
        return held.size();
    }

    private void accept(Span span) {
        if (held.containsKey(span.spanId())) {
            counters.increment("traces.duplicates");
            return;
        }
        Held h = new Held(span, sequences.take(span.spanId()));
        held.put(span.spanId(), h);
        byEnd.add(h);
        if (span.kind() == SpanKind.CLIENT) {
            String key = serverSideKey(span);
            heldClients.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
            List<Held> servers = heldServers.get(key);
            if (servers != null) {
                for (Held s : servers) {
                    if (s.traceId == null && sameExchange(span.startNs(), span.endNs(), h.seq, s)
                            && (s.parent == null || closer(span.startNs(), s))) {
                        s.link(span.spanId(), span.startNs(), h.seq);
                    }
                }
            }
        } else if (span.parentSpanId() == null) {
            linkServer(h);
            heldServers.computeIfAbsent(connectionKey(span), k -> new ArrayList<>()).add(h);
        }
    }

    /** Finds the client exchange, held or already emitted, that reached the server span {@code h}. */
    private void linkServer(Held h) {
        String key = connectionKey(h.span);
        List<Held> clients = heldClients.get(key);
        if (clients != null) {
            for (Held c : clients) {
                if (sameExchange(c.span.startNs(), c.span.endNs(), c.seq, h) && (h.parent == null || closer(c.span.startNs(), h))) {
                    h.link(c.span.spanId(), c.span.startNs(), c.seq);
                }
            }
        }
        List<Emitted> late = emittedClients.get(key);
        if (late != null) {
            for (Emitted c : late) {
                if (sameExchange(c.startNs, c.endNs, c.seq, h) && (h.parent == null || closer(c.startNs, h))) {
                    h.link(c.spanId, c.startNs, c.seq);
                }
            }
        }
    }

    /** The capture clock reached {@code nowNs}: emit every span whose hold has passed. */
    public void advance(long nowNs) {
        List<Held> due = new ArrayList<>();
        while (!byEnd.isEmpty() && byEnd.peek().span.endNs() <= nowNs - holdNs) {
            due.add(byEnd.poll());
        }
        emit(due, nowNs);
        expire(nowNs);
    }

    /** End of input: emit everything held. */
    public void flush() {
        emit(new ArrayList<>(held.values()), Long.MAX_VALUE);
        byEnd.clear();
        emittedTraces.clear();
        emittedClients.clear();
        emittedOrder.clear();
        sequences.clear();
    }

    private void emit(List<Held> due, long nowNs) {
        if (due.isEmpty()) {
            return;
        }
        due.sort(BY_START);
        List<Span> out = new ArrayList<>(due.size());
        for (Held h : due) {
            resolve(h);
        }
        for (Held h : due) {
            Span s = h.span;
            if (h.parent != null && s.parentSpanId() == null) {
                counters.increment("traces.links");
                counters.increment(h.linkedBySeq ? "traces.links_by_seq" : "traces.links_by_time");
                s = s.withParent(h.parent, s.correlation());
            }
            if (h.parent == null) {
                counters.increment("traces.roots");
            } else if (emittedTraces.containsKey(h.parent)) {
                counters.increment("traces.late_joins"); // its parent left in an earlier batch
            } else if (!held.containsKey(h.parent)) {
                counters.increment("traces.roots");
                counters.increment("traces.unknown_parents");
            }
            out.add(s.withTraceId(h.traceId));
        }
        for (Held h : due) {
            forget(h);
            Emitted e = new Emitted(h.span.spanId(), h.span.kind() == SpanKind.CLIENT ? serverSideKey(h.span) : null,
                    h.span.startNs(), h.span.endNs(), h.seq, saturatedAdd(nowNs, holdNs + holdNs));
            emittedTraces.put(e.spanId, h.traceId);
            if (e.clientKey != null) {
                emittedClients.computeIfAbsent(e.clientKey, k -> new ArrayList<>()).add(e);
            }
            emittedOrder.add(e);
        }
        counters.add("traces.spans", out.size());
        output.spans(out);
    }

    /** Follows parents to the root (held, emitted or unknown) and gives the whole chain its trace id. */
    private void resolve(Held start) {
        if (start.traceId != null) {
            return;
        }
        List<Held> chain = new ArrayList<>();
        Held cur = start;
        String traceId = null;
        while (traceId == null) {
            chain.add(cur);
            if (cur.traceId != null) {
                traceId = cur.traceId;
            } else if (cur.parent == null || chain.size() >= MAX_DEPTH) {
                traceId = TraceIds.of(host, cur.span.spanId());
            } else {
                Held parent = held.get(cur.parent);
                if (parent != null) {
                    cur = parent;
                } else {
                    String emitted = emittedTraces.get(cur.parent);
                    // a parent neither held nor recently emitted is unknown here: this span roots its trace
                    traceId = emitted != null ? emitted : TraceIds.of(host, cur.span.spanId());
                }
            }
        }
        for (Held h : chain) {
            h.traceId = traceId;
        }
    }

    private void forget(Held h) {
        held.remove(h.span.spanId());
        if (h.span.kind() == SpanKind.CLIENT) {
            removeFrom(heldClients, serverSideKey(h.span), h);
        } else {
            removeFrom(heldServers, connectionKey(h.span), h);
        }
    }

    private void expire(long nowNs) {
        while (!emittedOrder.isEmpty() && emittedOrder.peekFirst().expiresNs <= nowNs) {
            Emitted e = emittedOrder.pollFirst();
            emittedTraces.remove(e.spanId);
            if (e.clientKey != null) {
                List<Emitted> list = emittedClients.get(e.clientKey);
                if (list != null) {
                    list.remove(e);
                    if (list.isEmpty()) {
                        emittedClients.remove(e.clientKey);
                    }
                }
            }
        }
    }

    private static <T> void removeFrom(Map<String, List<T>> index, String key, T value) {
        List<T> list = index.get(key);
        if (list != null) {
            list.remove(value);
            if (list.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /**
     * Whether the client exchange (start, end, request sequence number) is the one the server span received.
     * Where both ends captured the request's sequence number, it decides: equal numbers are the same bytes of the
     * same connection, whatever the two hosts' clocks say. Otherwise time decides: the server received the request
     * no earlier than the client sent it and before the client had its response (within the tolerance) — the
     * client's exchange encloses the server's start. The ends are not compared: a client whose response was lost
     * ends at its request's last byte, and both ends of a lost or reset exchange stamp its end far apart. Among
     * several exchanges of a keep-alive connection that qualify, the closest start wins.
     */
    private static boolean sameExchange(long clientStart, long clientEnd, long clientSeq, Held server) {
        long serverStart = server.span.startNs();
        if (clientSeq != RequestSequences.UNKNOWN && server.seq != RequestSequences.UNKNOWN) {
            return clientSeq == server.seq && Math.abs(serverStart - clientStart) <= SEQ_LINK_MAX_SKEW_NS;
        }
        return serverStart >= clientStart - LINK_TOLERANCE_NS && serverStart <= clientEnd + LINK_TOLERANCE_NS;
    }

    /** True when a client starting at {@code candidateStartNs} is closer to the server span than its current link. */
    private static boolean closer(long candidateStartNs, Held server) {
        long start = server.span.startNs();
        return Math.abs(candidateStartNs - start) < Math.abs(server.linkStartNs - start);
    }

    private static String connectionKey(Span s) {
        return s.l4() + "|" + s.local() + "|" + s.remote();
    }

    private static String serverSideKey(Span client) {
        return client.l4() + "|" + client.remote() + "|" + client.local();
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** A span waiting for its hold, with the parent and trace id assembly gives it. */
    private static final class Held {
        final Span span;
        /** TCP sequence number of the request's first byte, or {@link RequestSequences#UNKNOWN}. */
        final long seq;
        String parent;
        long linkStartNs;
        boolean linkedBySeq;
        /** Set once the span's trace is decided; its parent link is then final. */
        String traceId;

        Held(Span span, long seq) {
            this.span = span;
            this.seq = seq;
            this.parent = span.parentSpanId();
        }

        void link(String clientSpanId, long clientStartNs, long clientSeq) {
            parent = clientSpanId;
            linkStartNs = clientStartNs;
            linkedBySeq = clientSeq != RequestSequences.UNKNOWN && seq != RequestSequences.UNKNOWN;
        }
    }

    /** What is remembered of an emitted span while late spans may still refer to it. */
    private record Emitted(String spanId, String clientKey, long startNs, long endNs, long seq, long expiresNs) {
    }
}
