package org.deeptrace.pipeline.internal.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.pipeline.internal.correlation.CorrelationStage;
import org.deeptrace.pipeline.internal.trace.RequestSequences;
import org.deeptrace.pipeline.internal.trace.TraceAssembler;

/**
 * Capture records in, correlated spans out: stream reassembly, protocol inference, parsing, request/response
 * pairing, span assembly, correlation and trace assembly, in one thread. Not thread-safe: one thread feeds it (the live
 * pipeline's worker, or a replay).
 *
 * <p>Time is the capture's own clock: the newest record timestamp seen. A live feed also calls {@link #tick} so
 * windows close and waiting records are released while traffic is quiet.
 */
public final class Pipeline {
    /** How often (capture time) housekeeping runs while records flow. */
    private static final long HOUSEKEEPING_NS = 100 * PipelineSettings.MS;
    /** How long the records behind reported messages are kept (for multiplexed protocols). */
    private static final long RECORD_RETENTION_NS = 60_000 * PipelineSettings.MS;

    private final PipelineSettings settings;
    /** {@code reorder.ms}: applies to a running pipeline, unlike the host. */
    private long reorderNs;
    private long windowNs;
    private long graceNs;
    private final Counters counters;
    private final PipelineContext context;
    private final CorrelationStage correlation;
    private final TraceAssembler traces;
    private final Map<ConnectionKey, Connection> connections = new HashMap<>();
    private final List<Connection> withWaitingRecords = new ArrayList<>();
    private long clockNs = Long.MIN_VALUE;
    private long lastHousekeepingNs = Long.MIN_VALUE;

    public Pipeline(ParserCatalog parsers, Supplier<Correlator> correlator, PipelineSettings settings,
            Counters counters, MessageOutput messages, SpanOutput spans) {
        this.settings = settings;
        this.reorderNs = settings.reorderNs();
        this.windowNs = settings.windowNs();
        this.graceNs = settings.graceNs();
        this.counters = counters;
        // A span's ancestors and its other connection end leave correlation at most a window plus grace later.
        RequestSequences sequences = new RequestSequences();
        this.traces = new TraceAssembler(settings.host(), settings.windowNs() + settings.graceNs(), counters, spans,
                sequences);
        this.correlation = new CorrelationStage(correlator, settings.windowNs(), settings.graceNs(), counters,
                traces::spans);
        SpanAssembler assembler = new SpanAssembler(counters, sequences, correlation::accept);
        this.context = new PipelineContext(parsers, settings, counters, messages, assembler);
    }

    /** A record captured on this pipeline's own host. */
    public void accept(CaptureRecord r) {
        accept(settings.host(), r);
    }

    /** A record captured on {@code host} (replays of several hosts' captures through one pipeline). */
    public void accept(String host, CaptureRecord r) {
        counters.increment("records.in");
        if (r.size() == 0) {
            counters.increment("records.empty"); // end of stream or an empty datagram: nothing to parse
            return;
        }
        clockNs = Math.max(clockNs, r.tsNs());
        ConnectionKey key = ConnectionKey.of(host, r);
        Connection c = connections.get(key);
        List<CaptureRecord> carried = List.of(r);
        if (c != null && c.isReusedBy(r)) {
            // The old connection is over: what it holds is completed as at its close, and the new one starts
            // with its own streams, inference and parser. Records the old streams held back, waiting for bytes
            // that never came, are the new connection's first ones.
            counters.increment("connections.addresses_reused");
            List<CaptureRecord> waiting = new ArrayList<>(c.takeWaitingRecords());
            waiting.add(r);
            waiting.sort(Comparator.comparingLong(CaptureRecord::tsNs));
            carried = waiting;
            c.close();
            withWaitingRecords.remove(c);
            c = null;
        }
        if (c == null) {
            c = new Connection(key, context);
            connections.put(key, c);
        }
        boolean wasWaiting = c.hasWaitingRecords();
        for (CaptureRecord each : carried) {
            c.add(each);
        }
        if (!wasWaiting && c.hasWaitingRecords()) {
            withWaitingRecords.add(c);
        }
        if (lastHousekeepingNs == Long.MIN_VALUE) {
            lastHousekeepingNs = clockNs;
        } else if (clockNs - lastHousekeepingNs >= HOUSEKEEPING_NS) {
            housekeeping(clockNs);
        }
    }

    /** Advances the clock without a record (live capture while traffic is quiet). */
    public void tick(long nowNs) {
        if (nowNs > clockNs) {
            clockNs = nowNs;
        }
        housekeeping(clockNs);
    }

    /** End of input: every connection is closed, every window decided, every span handed on. */
    public void finish() {
        for (Connection c : connections.values()) {
            c.close();
        }
        connections.clear();
        withWaitingRecords.clear();
        correlation.flush();
        traces.flush();
    }

    public void setWindow(long windowNs, long graceNs) {
        this.windowNs = windowNs;
        this.graceNs = graceNs;
        correlation.setWindow(windowNs, graceNs);
        traces.setHold(windowNs + graceNs);
    }

    /**
     * Applies changed settings to this running pipeline: window and grace (from the next window on), the reorder
     * wait, and the inference threshold (for new connections and for those still without a protocol; connections
     * with one keep it). The host and the idle timeout stay what the pipeline was built with.
     *
     * @return whether anything changed
     */
    public boolean apply(PipelineSettings next) {
        boolean changed = false;
        if (next.windowNs() != windowNs || next.graceNs() != graceNs) {
            setWindow(next.windowNs(), next.graceNs());
            changed = true;
        }
        if (next.reorderNs() != reorderNs) {
            reorderNs = next.reorderNs();
            changed = true;
        }
        return context.minConfidence(next.minConfidence()) || changed;
    }

    /** The settings in force: those the pipeline was built with, changed by {@link #apply} and {@link #setWindow}. */
    public PipelineSettings settings() {
        return new PipelineSettings(settings.host(), windowNs, graceNs, reorderNs, settings.idleNs(),
                context.minConfidence());
    }

    /**
     * Applies {@code protocols.disabled} and {@code protocols.ports}: new connections follow them at once;
     * connections using a protocol that became disabled fall back to inference on their next bytes; connections
     * already parsed keep their parser when a pin is added or removed, until they close. Connections still without
     * a protocol (also those inference had given up on) are judged afresh under rules that differ.
     */
    public void setProtocolRules(ProtocolRules rules) {
        context.rules(rules);
    }

    public ProtocolRules protocolRules() {
        return context.rules();
    }

    public int connectionCount() {
        return connections.size();
    }

    public long clockNs() {
        return clockNs;
    }

    private void housekeeping(long now) {
        lastHousekeepingNs = now;
        for (Iterator<Connection> it = withWaitingRecords.iterator(); it.hasNext();) {
            Connection c = it.next();
            c.releaseWaiting(now - reorderNs);
            if (!c.hasWaitingRecords()) {
                it.remove();
            }
        }
        for (Iterator<Connection> it = connections.values().iterator(); it.hasNext();) {
            Connection c = it.next();
            if (now - c.lastSeenNs() > settings.idleNs()) {
                counters.increment("connections.idle_closed");
                c.close();
                withWaitingRecords.remove(c);
                it.remove();
            } else {
                c.forgetRecordsOlderThan(now - RECORD_RETENTION_NS);
            }
        }
        // Records may still wait up to reorder.ms for missing bytes: spans they complete are that late.
        correlation.advance(now - reorderNs);
        traces.advance(now - reorderNs);
    }
}
