package org.deeptrace.store.lucene.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.TraceQuery;

/**
 * The embedded store's benchmark, in the store's package to drive {@link SpanIndex} directly (no OSGi). Spans are
 * copies of a template (rps100's spans) shifted in time by the template's length per copy, with fresh span and
 * trace ids, so the index holds many realistic, distinct traces.
 */
public final class StoreBenchDriver {
    private StoreBenchDriver() {
    }

    public static void run(List<Span> template, long target, Path dir) throws IOException {
        long t0 = template.stream().mapToLong(Span::startNs).min().orElseThrow();
        long t1 = template.stream().mapToLong(Span::endNs).max().orElseThrow();
        long period = t1 - t0 + 100_000_000L;
        int copies = (int) Math.ceil((double) target / template.size());
        List<String> sampleTraces = new ArrayList<>();
        Random random = new Random(7);

        System.out.printf(Locale.ROOT, "template: %d spans over %.2f s; %d copies -> %d spans into %s%n",
                template.size(), (t1 - t0) / 1e9, copies, (long) copies * template.size(), dir);
        long bytesBefore;
        long ingestNs;
        try (SpanIndex index = new SpanIndex(dir)) {
            long start = System.nanoTime();
            long cpuStart = processCpuNs();
            long lastReport = start;
            List<Span> batch = new ArrayList<>(512);
            long written = 0;
            for (int k = 0; k < copies; k++) {
                for (Span s : template) {
                    Span c = copy(s, k, period);
                    batch.add(c);
                    if (batch.size() == 512) {
                        index.add(batch, System.currentTimeMillis());
                        written += batch.size();
                        batch.clear();
                    }
                    if (c.parentSpanId() == null && c.traceId() != null && random.nextInt(500) == 0) {
                        sampleTraces.add(c.traceId());
                    }
                }
                long now = System.nanoTime();
                if (now - lastReport > 5_000_000_000L) {
                    System.out.printf(Locale.ROOT, "  %d spans, %.0f spans/s wall, %.0f spans per CPU-second%n", written,
                            written / ((now - start) / 1e9), written / ((processCpuNs() - cpuStart) / 1e9));
                    lastReport = now;
                }
            }
            index.add(batch, System.currentTimeMillis());
            index.commit();
            index.refresh();
            ingestNs = System.nanoTime() - start;
            long cpuNs = processCpuNs() - cpuStart;
            long n = index.size();
            bytesBefore = index.diskBytes();
            System.out.printf(Locale.ROOT, "ingest: %d spans in %.1f s = %.0f spans/s wall (one writer thread, commit "
                    + "included); %.1f CPU-s of the process (merges, GC included) = %.0f spans per CPU-second; "
                    + "load average %.1f%n", n, ingestNs / 1e9, n / (ingestNs / 1e9), cpuNs / 1e9, n / (cpuNs / 1e9),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "disk: %.1f MB = %.1f bytes/span (after commit, merges as they fell)%n",
                    bytesBefore / 1e6, (double) bytesBefore / n);

            long first = t0;
            long last = t0 + (long) copies * period;
            List<Supplier<TraceQuery>> mix = List.of(
                    () -> TraceQuery.latest(20),
                    () -> new TraceQuery("main", "/", null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE,
                            Map.of("tgid", "3056354", "kind", "server"), 20),
                    () -> new TraceQuery("main", null, "HTTP1", null, 5_000_000L + random.nextInt(20_000_000), Long.MAX_VALUE,
                            0, Long.MAX_VALUE, Map.of(), 20),
                    () -> {
                        long from = first + (long) (random.nextDouble() * (last - first));
                        return new TraceQuery(null, null, null, null, 0, Long.MAX_VALUE, from, from + 10_000_000_000L,
                                Map.of(), 20);
                    },
                    () -> {
                        long from = first + (long) (random.nextDouble() * (last - first));
                        return new TraceQuery("main", "/", null, ResponseStatus.OK, 2_000_000, Long.MAX_VALUE, from,
                                from + 60_000_000_000L, Map.of("tgid", "3056217"), 20);
                    });
            for (int warm = 0; warm < 50; warm++) {
                index.traces(mix.get(warm % mix.size()).get());
                index.trace(sampleTraces.get(warm % sampleTraces.size()));
            }
            long[] search = new long[500];
            int found = 0;
            for (int i = 0; i < search.length; i++) {
                TraceQuery q = mix.get(i % mix.size()).get();
                long s = System.nanoTime();
                found += index.traces(q).size();
                search[i] = System.nanoTime() - s;
            }
            long[] byId = new long[2000];
            int spans = 0;
            for (int i = 0; i < byId.length; i++) {
                String id = sampleTraces.get(random.nextInt(sampleTraces.size()));
                long s = System.nanoTime();
                spans += index.trace(id).size();
                byId[i] = System.nanoTime() - s;
            }
            System.out.printf(Locale.ROOT, "trace search (%d queries, 5-query mix, limit 20, %.1f traces/answer): "
                    + "p50 %.2f ms, p99 %.2f ms%n", search.length, found / (double) search.length, pct(search, 0.5),
                    pct(search, 0.99));
            System.out.printf(Locale.ROOT, "trace by id (%d lookups, %.1f spans/trace): p50 %.2f ms, p99 %.2f ms%n",
                    byId.length, spans / (double) byId.length, pct(byId, 0.5), pct(byId, 0.99));
            long s = System.nanoTime();
            int edges = index.dependencies(first, first + 60_000_000_000L).size();
            System.out.printf(Locale.ROOT, "dependencies over 60 s of spans: %d edges in %.1f ms%n", edges,
                    (System.nanoTime() - s) / 1e6);
            s = System.nanoTime();
            int endpoints = index.endpointLatency("main", 0, Long.MAX_VALUE).size();
            System.out.printf(Locale.ROOT, "endpoint latency (kept as spans arrive), all time: %d endpoints in %.2f ms%n",
                    endpoints, (System.nanoTime() - s) / 1e6);
            s = System.nanoTime();
            endpoints = index.endpointLatency("main", first, first + 600_000_000_000L).size();
            System.out.printf(Locale.ROOT, "endpoint latency over a 10 min range (from the index): %d endpoints in %.1f ms%n",
                    endpoints, (System.nanoTime() - s) / 1e6);
        }
        long reopen = System.nanoTime();
        try (SpanIndex index = new SpanIndex(dir)) {
            System.out.printf(Locale.ROOT, "reopen (histograms rebuilt from the index): %.1f s, %d spans, %.1f bytes/span on disk%n",
                    (System.nanoTime() - reopen) / 1e9, index.size(), (double) index.diskBytes() / index.size());
        }
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double pct(long[] ns, double q) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static Span copy(Span s, int k, long period) {
        long shift = k * period;
        return new Span(id(s.spanId(), k), s.parentSpanId() == null ? null : id(s.parentSpanId(), k),
                s.traceId() == null ? null : s.traceId().substring(0, 16) + id(s.traceId().substring(16), k), s.kind(),
                s.host(), s.tgid(), s.tid(), s.comm(), s.protocol(), s.l4(), s.local(), s.remote(), s.startNs() + shift,
                s.endNs() + shift, s.reqSize(), s.respSize(), s.endpoint(), s.requestType(), s.requestResource(),
                s.responseStatus(), s.responseCode(), s.traceIdHeader(), s.xRequestId(), s.correlation());
    }

    /** A distinct 16-hex id per copy: the original id mixed with the copy number. */
    private static String id(String hex16, int k) {
        long v = Long.parseUnsignedLong(hex16, 16) ^ (k * 0x9E3779B97F4A7C15L);
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }

}
