package org.deeptrace.testkit.spans;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;

/**
 * Synthetic traces like those of the shared rps100 dataset, more varied: a frontend serves a request, calls a
 * backend (which calls a database, untraced) and a cache; ids, times, durations and errors vary with a seeded
 * random. The same seed and first id give the same spans, field for field. Not thread-safe.
 */
public final class VariedTraces {
    /** The frontend's endpoints; the backend serves {@code "/api" + endpoint}. */
    public static final List<String> ENDPOINTS = List.of("/home", "/cart", "/checkout");

    private final Random random;
    private long next;

    /**
     * Generators of different seeds give different span and trace ids (a store keeps one span per id): ids start at
     * {@code 1 + seed * 1,000,000}.
     */
    public VariedTraces(long seed) {
        this(seed, 1 + seed * 1_000_000L);
    }

    /** A generator whose ids start from {@code firstId} whatever the seed. */
    public VariedTraces(long seed, long firstId) {
        random = new Random(seed);
        next = firstId;
    }

    /** {@code n} traces of 4 spans each (one trace in 7 has no backend call: 3 spans), 1 ms apart from {@code t0}. */
    public List<Span> traces(int n, long t0) {
        List<Span> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(trace(t0 + i * 1_000_000L));
        }
        return out;
    }

    /** One trace starting at {@code start} (nanoseconds); one trace in ten fails with a server error. */
    public List<Span> trace(long start) {
        String traceId = String.format("%016x%016x", random.nextLong(), next);
        String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
        long total = 2_000_000 + random.nextInt(40_000_000);
        boolean fails = random.nextInt(10) == 0;
        List<Span> spans = new ArrayList<>();
        Span root = span(null, traceId, SpanKind.SERVER, "frontend", 100, endpoint, "10.0.0.1:8080", "10.0.0.9:40000",
                start, start + total, fails ? ResponseStatus.SERVER_ERROR : ResponseStatus.OK);
        spans.add(root);
        if (random.nextInt(7) != 0) {
            long cs = start + 100_000;
            long ce = start + total / 2;
            Span call = span(root.spanId(), traceId, SpanKind.CLIENT, "frontend", 100, "/api" + endpoint,
                    "10.0.0.1:50000", "10.0.0.2:9090", cs, ce, fails ? ResponseStatus.SERVER_ERROR : ResponseStatus.OK);
            Span served = span(call.spanId(), traceId, SpanKind.SERVER, "backend", 200, "/api" + endpoint,
                    "10.0.0.2:9090", "10.0.0.1:50000", cs + 50_000, ce - 50_000,
                    fails ? ResponseStatus.SERVER_ERROR : ResponseStatus.OK);
            Span db = span(served.spanId(), traceId, SpanKind.CLIENT, "backend", 200, null, "10.0.0.2:41000",
                    "10.0.0.3:6379", cs + 60_000, cs + 60_000 + random.nextInt(1_000_000), ResponseStatus.OK);
            spans.add(call);
            spans.add(served);
            spans.add(db);
        } else {
            spans.add(span(root.spanId(), traceId, SpanKind.CLIENT, "frontend", 100, null, "10.0.0.1:50001",
                    "10.0.0.3:6379", start + 10_000, start + 20_000, ResponseStatus.OK));
        }
        return spans;
    }

    private Span span(String parent, String traceId, SpanKind kind, String comm, int tgid, String endpoint,
            String local, String remote, long start, long end, ResponseStatus status) {
        String id = String.format("%016x", next++ * 0x9E3779B97F4A7C15L);
        boolean redis = endpoint == null;
        return new Span(id, parent, traceId, kind, "node-1", tgid, tgid + 1, comm, redis ? "Redis" : "HTTP1",
                Transport.TCP, local, remote, start, end, 100 + random.nextInt(200), 300 + random.nextInt(2000),
                redis ? "GET" : endpoint, redis ? "GET" : "GET", redis ? "cart:42" : endpoint + "?q=1", status,
                redis ? null : (status == ResponseStatus.OK ? 200 : 503), null, random.nextBoolean() ? "req-" + next : null,
                parent == null ? null : new Correlation("fifo", 0.5 + random.nextInt(50) / 100.0, 1 + random.nextInt(3)));
    }
}
