package org.deeptrace.api.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.deeptrace.api.model.SpanKind;

/**
 * Builds the service dependency graph from spans fed one at a time, in any order, so a store can feed it from
 * whatever it reads cheaply (an index's column values) instead of whole spans.
 *
 * <p>Each client span is one call. Its callee is the process of a server span parented to it in another process
 * (trace assembly links the two ends of a connection that way); when none is stored, the callee is the client
 * span's {@code remote} address (an untraced service: a database, a resolver). A server span parented directly to
 * a server span of another process (no client span captured in between) is one call too, timed by the server
 * span. A process is a (host, {@code tgid}) pair, shown by its {@code comm} and {@code tgid}. Latency is the caller's view (the client span's duration); an error is a call whose
 * span answered with an error.
 *
 * <p>Not thread-safe; one instance per query.
 */
public final class DependencyLinker {
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, Process> serverProcesses = new HashMap<>();
    private final List<ServerLink> serverLinks = new ArrayList<>();

    private record Process(String host, int tgid, String service) {
        boolean sameAs(Process other) {
            return tgid == other.tgid && Objects.equals(host, other.host);
        }
    }

    private static final class Call {
        final Process process;
        final String remote;
        final long startNs;
        final long durationNs;
        final boolean error;
        Process callee;

        Call(Process process, String remote, long startNs, long durationNs, boolean error) {
            this.process = process;
            this.remote = remote;
            this.startNs = startNs;
            this.durationNs = durationNs;
            this.error = error;
        }
    }

    private record ServerLink(String parentSpanId, Process process, long startNs, long durationNs, boolean error) {
    }

    /**
     * Feeds one span.
     *
     * @param spanId the span's id
     * @param parentSpanId its parent, null for none
     * @param kind server or client
     * @param host its host
     * @param tgid its process id
     * @param service its {@code comm}
     * @param remote its {@code remote} address
     * @param startNs its start
     * @param durationNs its duration
     * @param error whether it answered with an error ({@link TraceAnalysis#isError})
     */
    public void add(String spanId, String parentSpanId, SpanKind kind, String host, int tgid, String service,
            String remote, long startNs, long durationNs, boolean error) {
        Objects.requireNonNull(spanId, "spanId");
        Process process = new Process(host, tgid, service == null ? "" : service);
        if (kind == SpanKind.CLIENT) {
            calls.put(spanId, new Call(process, remote, startNs, durationNs, error));
        } else {
            serverProcesses.put(spanId, process);
            if (parentSpanId != null) {
                serverLinks.add(new ServerLink(parentSpanId, process, startNs, durationNs, error));
            }
        }
    }

    /**
     * The edges, sorted by parent then child.
     *
     * @param rangeSeconds the length of the time range asked for, in seconds, to turn calls into a rate; 0 or less
     *     to use the time the counted calls cover (at least one second)
     */
    public List<DependencyLink> links(double rangeSeconds) {
        Map<String, Edge> edges = new TreeMap<>();
        for (ServerLink link : serverLinks) {
            Call call = calls.get(link.parentSpanId());
            if (call != null) {
                if (!call.process.sameAs(link.process())) {
                    call.callee = link.process();
                }
                continue;
            }
            Process parent = serverProcesses.get(link.parentSpanId());
            if (parent != null && !parent.sameAs(link.process())) {
                edge(edges, parent, link.process().service(), link.process().tgid())
                        .add(link.startNs(), link.durationNs(), link.error());
            }
        }
        for (Call call : calls.values()) {
            if (call.callee != null) {
                edge(edges, call.process, call.callee.service(), call.callee.tgid())
                        .add(call.startNs, call.durationNs, call.error);
            } else if (call.remote != null) {
                edge(edges, call.process, call.remote, 0).add(call.startNs, call.durationNs, call.error);
            }
        }
        List<DependencyLink> out = new ArrayList<>(edges.size());
        for (Edge e : edges.values()) {
            double seconds = rangeSeconds > 0 ? rangeSeconds : Math.max(1.0, (e.lastStartNs - e.firstStartNs) / 1e9);
            LatencyHistogram h = e.latency;
            out.add(new DependencyLink(e.parent, e.parentPid, e.child, e.childPid, h.count(), h.count() / seconds,
                    (double) e.errors / h.count(), h.percentileNs(0.5), h.percentileNs(0.9), h.percentileNs(0.99)));
        }
        return out;
    }

    private static Edge edge(Map<String, Edge> edges, Process parent, String child, int childPid) {
        // Sorted by parent name, parent pid, child name, child pid (pids zero-padded so they sort as numbers).
        String key = String.format("%s\u0000%010d\u0000%s\u0000%010d", parent.service(), parent.tgid(), child,
                childPid);
        return edges.computeIfAbsent(key, k -> new Edge(parent.service(), parent.tgid(), child, childPid));
    }

    private static final class Edge {
        final String parent;
        final int parentPid;
        final String child;
        final int childPid;
        final LatencyHistogram latency = new LatencyHistogram();
        long errors;
        long firstStartNs = Long.MAX_VALUE;
        long lastStartNs = Long.MIN_VALUE;

        Edge(String parent, int parentPid, String child, int childPid) {
            this.parent = parent;
            this.parentPid = parentPid;
            this.child = child;
            this.childPid = childPid;
        }

        void add(long startNs, long durationNs, boolean error) {
            latency.add(durationNs);
            if (error) {
                errors++;
            }
            firstStartNs = Math.min(firstStartNs, startNs);
            lastStartNs = Math.max(lastStartNs, startNs);
        }
    }
}
