package org.deeptrace.store.memory.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.sender.SendResult;
import org.deeptrace.api.sender.SpanSender;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The most recent spans, in memory, for the shell and the REST API: a sender that keeps what it is sent in a
 * ring of fixed capacity, and a store that answers queries over it by scanning the ring (see
 * {@link TraceAnalysis}). Registered with {@code service.ranking = 0}: a persistent store (ranked higher) answers
 * the REST API and the shell when both are installed.
 */
@Component(service = {SpanStore.class, SpanSender.class}, configurationPid = MemorySpanStore.PID,
        property = "service.ranking:Integer=0")
@Designate(ocd = MemorySpanStore.Config.class)
public final class MemorySpanStore implements SpanStore, SpanSender {
    static final String PID = "org.deeptrace.store.memory";

    @ObjectClassDefinition(name = "DeepTrace recent spans", description = "Recent spans kept in memory for queries.")
    @interface Config {
        @AttributeDefinition(name = "Capacity", description = "Spans kept; the oldest are forgotten first.")
        int capacity() default 10_000;
    }

    private Span[] ring = new Span[10_000];
    private long written;

    @Activate
    @Modified
    synchronized void configure(Config config) {
        int capacity = Math.max(1, config.capacity());
        if (capacity != ring.length) {
            List<Span> keep = newestFirst(capacity);
            ring = new Span[capacity];
            written = 0;
            for (int i = keep.size() - 1; i >= 0; i--) {
                add(keep.get(i));
            }
        }
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public synchronized SendResult send(List<Span> spans) {
        for (Span s : spans) {
            add(s);
        }
        return SendResult.SUCCESS;
    }

    @Override
    public synchronized List<Span> find(SpanQuery q) {
        List<Span> out = new ArrayList<>();
        for (Span s : newestFirst(ring.length)) {
            if (out.size() >= q.limit()) {
                break;
            }
            if ((q.protocol() == null || q.protocol().equalsIgnoreCase(s.protocol()))
                    && (q.endpoint() == null || q.endpoint().equals(s.endpoint()))
                    && (q.tgid() == 0 || q.tgid() == s.tgid())) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public synchronized List<Span> trace(String traceId) {
        List<Span> out = new ArrayList<>();
        for (Span s : ring) {
            if (s != null && traceId.equals(s.traceId())) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(Span::startNs));
        return out;
    }

    @Override
    public List<TraceSummary> traces(TraceQuery query) {
        return TraceAnalysis.traces(snapshot(), query);
    }

    @Override
    public List<DependencyLink> dependencies(long startNs, long endNs) {
        return TraceAnalysis.dependencies(snapshot(), startNs, endNs);
    }

    @Override
    public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
        return TraceAnalysis.endpointLatency(snapshot(), service, startNs, endNs);
    }

    /** The held spans, copied out under the lock so the analysis runs without it. */
    private synchronized List<Span> snapshot() {
        List<Span> all = new ArrayList<>(ring.length);
        for (Span s : ring) {
            if (s != null) {
                all.add(s);
            }
        }
        return all;
    }

    @Override
    public synchronized long size() {
        return Math.min(written, ring.length);
    }

    private void add(Span s) {
        ring[(int) (written % ring.length)] = s;
        written++;
    }

    /** Held spans, newest (by start) first. */
    private List<Span> newestFirst(int max) {
        List<Span> all = new ArrayList<>();
        for (Span s : ring) {
            if (s != null) {
                all.add(s);
            }
        }
        all.sort(Comparator.comparingLong(Span::startNs).reversed());
        return all.size() > max ? all.subList(0, max) : all;
    }

    /** For tests: the configuration a component would get. */
    static Config config(int capacity) {
        return new Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return Config.class;
            }

            @Override
            public int capacity() {
                return capacity;
            }
        };
    }
}
