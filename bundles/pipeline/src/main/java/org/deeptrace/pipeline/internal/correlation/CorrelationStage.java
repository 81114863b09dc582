package org.deeptrace.pipeline.internal.correlation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.SpanOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds spans per process until their time window is complete, hands each window to the configured correlator,
 * writes the chosen parents into the client spans and passes everything on. A window of capture time
 * {@code [start, start + window)} is decided once the capture clock passes its end plus the grace period, so the
 * server spans that enclose its client spans have finished. Memory is bounded by the window, not the run.
 */
public final class CorrelationStage {
    private static final Logger LOG = LoggerFactory.getLogger(CorrelationStage.class);
    private static final Comparator<Span> BY_START = Comparator.comparingLong(Span::startNs);

    private final Supplier<Correlator> correlator;
    private final Counters counters;
    private final SpanOutput output;
    /** By host and process id: replays of several hosts may see one process id on two hosts. */
    private final Map<ProcessKey, ProcessSpans> processes = new HashMap<>();
    private volatile long windowNs;
    private volatile long graceNs;

    /** @param correlator the correlator to use for the next window, or null when the configured one is missing */
    public CorrelationStage(Supplier<Correlator> correlator, long windowNs, long graceNs, Counters counters,
            SpanOutput output) {
        this.correlator = correlator;
        this.counters = counters;
        this.output = output;
        setWindow(windowNs, graceNs);
    }

    /** Changes the window for windows not yet decided. */
    public void setWindow(long windowNs, long graceNs) {
        if (windowNs <= 0 || graceNs < 0) {
            throw new IllegalArgumentException("window must be positive and grace not negative");
        }
        this.windowNs = windowNs;
        this.graceNs = graceNs;
    }

    public void accept(Span span) {
        processes.computeIfAbsent(new ProcessKey(span.host(), span.tgid()), k -> new ProcessSpans(k.tgid())).add(span);
    }

    /** The capture clock reached {@code nowNs}: decide every window that is complete. */
    public void advance(long nowNs) {
        for (ProcessSpans p : processes.values()) {
            while (p.hasPending() && p.nextWindowEnd(windowNs) + graceNs <= nowNs) {
                decide(p, p.nextWindowEnd(windowNs));
            }
        }
        processes.values().removeIf(ProcessSpans::isEmpty);
    }

    /** End of input: decide everything still held. */
    public void flush() {
        for (ProcessSpans p : processes.values()) {
            if (p.hasPending()) {
                decide(p, Long.MAX_VALUE);
            }
        }
        processes.clear();
    }

    /** Spans held, waiting for their window. */
    public int held() {
        int n = 0;
        for (ProcessSpans p : processes.values()) {
            n += p.clients.size() + p.unsentServers.size();
        }
        return n;
    }

    private void decide(ProcessSpans p, long windowEnd) {
        List<Span> clients = p.takeClientsBefore(windowEnd);
        List<Span> out = new ArrayList<>(clients.size() + p.unsentServers.size());
        if (!clients.isEmpty()) {
            List<Span> candidates = p.serversBefore(windowEnd);
            out.addAll(correlate(p, clients, candidates));
        }
        out.addAll(p.takeUnsentServersBefore(windowEnd));
        p.forgetServersEndingBefore(windowEnd == Long.MAX_VALUE ? windowEnd : windowEnd - windowNs);
        if (!out.isEmpty()) {
            out.sort(BY_START);
            output.spans(out);
        }
    }

    private List<Span> correlate(ProcessSpans p, List<Span> clients, List<Span> candidates) {
        Correlator c = correlator.get();
        if (c == null) {
            counters.add("correlation.unavailable", clients.size());
            return clients;
        }
        Map<String, List<Span>> earlier = new HashMap<>();
        Set<String> candidateIds = new HashSet<>();
        for (Span s : candidates) {
            candidateIds.add(s.spanId());
            List<Span> children = p.children.get(s.spanId());
            if (children != null) {
                earlier.put(s.spanId(), children);
            }
        }
        List<Decision> decisions;
        try {
            decisions = c.correlate(new CorrelationWindow(p.tgid, clients, candidates, earlier));
        } catch (RuntimeException e) {
            counters.increment("correlation.errors." + c.name());
            LOG.warn("Correlator {} failed on a window of process {}; its client spans keep no parent", c.name(), p.tgid, e);
            return clients;
        }
        Map<String, Decision> byClient = new HashMap<>();
        for (Decision d : decisions) {
            byClient.put(d.clientSpanId(), d);
        }
        List<Span> decided = new ArrayList<>(clients.size());
        for (Span client : clients) {
            Decision d = byClient.get(client.spanId());
            counters.increment("correlation.decisions");
            if (d == null || d.parentSpanId() == null) {
                decided.add(client.withParent(null, d == null ? null : correlation(c, d)));
                continue;
            }
            if (!candidateIds.contains(d.parentSpanId())) {
                counters.increment("correlation.invalid_decisions." + c.name());
                decided.add(client);
                continue;
            }
            counters.increment("correlation.parented");
            p.children.computeIfAbsent(d.parentSpanId(), k -> new ArrayList<>()).add(client);
            decided.add(client.withParent(d.parentSpanId(), correlation(c, d)));
        }
        return decided;
    }

    private static Correlation correlation(Correlator c, Decision d) {
        double score = Double.isFinite(d.score()) ? Math.max(0, Math.min(1, d.score())) : 0;
        return new Correlation(c.name(), score, Math.max(0, d.candidates()));
    }

    private record ProcessKey(String host, int tgid) {
    }

    /** Spans of one process waiting for correlation. */
    private static final class ProcessSpans {
        final int tgid;
        final List<Span> clients = new ArrayList<>();
        final List<Span> unsentServers = new ArrayList<>();
        /** Server spans that may still enclose client spans to come. */
        final List<Span> servers = new ArrayList<>();
        final Map<String, List<Span>> children = new HashMap<>();

        ProcessSpans(int tgid) {
            this.tgid = tgid;
        }

        void add(Span s) {
            if (s.kind() == SpanKind.CLIENT) {
                clients.add(s);
            } else {
                unsentServers.add(s);
                servers.add(s);
            }
        }

        boolean hasPending() {
            return !clients.isEmpty() || !unsentServers.isEmpty();
        }

        boolean isEmpty() {
            return !hasPending() && servers.isEmpty();
        }

        /** End of the window holding the earliest pending span; windows are aligned to multiples of their length. */
        long nextWindowEnd(long windowNs) {
            long earliest = Long.MAX_VALUE;
            for (Span s : clients) {
                earliest = Math.min(earliest, s.startNs());
            }
            for (Span s : unsentServers) {
                earliest = Math.min(earliest, s.startNs());
            }
            return Math.floorDiv(earliest, windowNs) * windowNs + windowNs;
        }

        List<Span> takeClientsBefore(long end) {
            return take(clients, end);
        }

        List<Span> takeUnsentServersBefore(long end) {
            return take(unsentServers, end);
        }

        List<Span> serversBefore(long end) {
            List<Span> out = new ArrayList<>();
            for (Span s : servers) {
                if (s.startNs() < end) {
                    out.add(s);
                }
            }
            out.sort(BY_START);
            return out;
        }

        void forgetServersEndingBefore(long t) {
            servers.removeIf(s -> {
                boolean gone = s.endNs() < t;
                if (gone) {
                    children.remove(s.spanId());
                }
                return gone;
            });
        }

        private static List<Span> take(List<Span> from, long end) {
            List<Span> out = new ArrayList<>();
            from.removeIf(s -> {
                if (s.startNs() < end) {
                    out.add(s);
                    return true;
                }
                return false;
            });
            out.sort(BY_START);
            return out;
        }
    }
}
