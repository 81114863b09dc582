package org.deeptrace.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.correlator.deeptrace.internal.DeepTraceCorrelator;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.query.federation.internal.AgentClient;
import org.deeptrace.query.federation.internal.FederatedSpanStore;
import org.deeptrace.rest.internal.AgentHttpServer;
import org.deeptrace.rest.internal.ListSpanStore;

/**
 * Query-driven assembly across agents versus shipping every span to a server, on a capture whose services ran on
 * separate hosts (the shared dataset rps100: three services in three containers, so each process is a host).
 *
 * <p>Each host's records go through its own pipeline (as an agent on that host would see them) into its own store,
 * served over HTTP by the REST bundle's agent API; a {@link FederatedSpanStore} answers an operator's query mix
 * over the three agents, counting every byte each way (request and status lines, headers, gzip bodies). The
 * baseline is every span of every agent as the file and OpenSearch senders ship it: its contract JSON line — raw,
 * and gzip-compressed as a whole (the best any shipping could do). The same records through one pipeline that sees
 * all three hosts give the reference answers: every federated answer must equal it.
 *
 * <pre>bench/run QueryDrivenBench [--hosts-by-ip] [../shared/datasets/rps100.capture.jsonl] [copies]</pre>
 */
public final class QueryDrivenBench {

    /** One query of the mix and what it cost. */
    public record Row(String query, int answerItems, long requests, long bytes, long spansMoved, boolean equal) {
    }

    /** The measured mix. */
    public record Result(List<Row> rows, int agents, long totalSpans, long shipAllRawBytes, long shipAllGzipBytes,
            long federatedBytes, long federatedRequests, long spansMoved, long rounds, int equalAnswers) {
        public double reductionVsRaw() {
            return 1 - (double) federatedBytes / shipAllRawBytes;
        }

        public double reductionVsGzip() {
            return 1 - (double) federatedBytes / shipAllGzipBytes;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean hostsByIp = rest.remove("--hosts-by-ip");
        Path capture = Path.of(rest.size() > 0 ? rest.get(0) : "../shared/datasets/rps100.capture.jsonl");
        int copies = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 1;
        Result r = measure(capture, copies, hostsByIp);
        System.out.printf("%-64s %7s %8s %10s %7s %6s%n", "query", "answer", "requests", "bytes", "spans", "equal");
        for (Row row : r.rows()) {
            System.out.printf("%-64s %7d %8d %10d %7d %6s%n", row.query(), row.answerItems(), row.requests(),
                    row.bytes(), row.spansMoved(), row.equal() ? "yes" : "NO");
        }
        System.out.printf("%nspans held by the %d agents: %d%n", r.agents(), r.totalSpans());
        System.out.printf("shipping every span: %d bytes as JSON lines, %d bytes gzip-compressed%n",
                r.shipAllRawBytes(), r.shipAllGzipBytes());
        System.out.printf("query-driven, %d queries: %d bytes in %d requests (%d rounds), %d spans moved%n",
                r.rows().size(), r.federatedBytes(), r.federatedRequests(), r.rounds(), r.spansMoved());
        System.out.printf("bytes moved: %.2f%% fewer than shipping JSON lines, %.2f%% fewer than shipping gzip%n",
                100 * r.reductionVsRaw(), 100 * r.reductionVsGzip());
        System.out.printf("answers equal to one pipeline assembling all hosts: %d of %d%n", r.equalAnswers(),
                r.rows().size());
    }

    /**
     * Runs the whole comparison on a capture file whose processes each stand for a host.
     *
     * @param copies the capture played this many times, each {@link #COPY_GAP_NS} after the end of the previous
     *     one, to stand for agents that have kept more traffic than the capture holds (1: as recorded)
     */
    public static Result measure(Path capture, int copies) throws Exception {
        return measure(capture, copies, false);
    }

    /**
     * As {@link #measure(Path, int)}; with {@code hostsByIp}, a host is a service rather than a process: every
     * process that serves on an IP (the {@code local} IP of its server spans: nginx's workers, a forking server's
     * children) is on the host of that IP, as when each service of a live capture listens on its own loopback
     * address (the polyglot datasets); a process that never serves is a host of its own.
     */
    public static Result measure(Path capture, int copies, boolean hostsByIp) throws Exception {
        List<CaptureRecord> recorded = read(capture);
        Map<Integer, String> hostOfRecordedProcess = hostsByIp ? hostsByServedIp(recorded) : new LinkedHashMap<>();
        for (CaptureRecord rec : recorded) {
            hostOfRecordedProcess.putIfAbsent(rec.tgid(), "host-" + (hostOfRecordedProcess.size() + 1));
        }
        List<CaptureRecord> records = copies(recorded, copies);
        Map<Integer, String> hostOfProcess = new LinkedHashMap<>();
        for (CaptureRecord rec : records) {
            hostOfProcess.putIfAbsent(rec.tgid(), hostOfRecordedProcess.get(rec.tgid() % COPY_TGID));
        }
        PipelineSettings settings = PipelineSettings.defaults("server");
        List<Span> single = CorrelationBench.run(records, rec -> hostOfProcess.get(rec.tgid()),
                new DeepTraceCorrelator(), settings);
        ListSpanStore reference = new ListSpanStore(dedupe(single));

        List<Agent> agents = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(hostOfRecordedProcess.size());
        try {
            for (String host : new java.util.LinkedHashSet<>(hostOfRecordedProcess.values())) {
                List<CaptureRecord> own = records.stream().filter(rec -> host.equals(hostOfProcess.get(rec.tgid())))
                        .toList();
                List<Span> spans = CorrelationBench.run(own, rec -> host, new DeepTraceCorrelator(), settings);
                agents.add(Agent.of(host, dedupe(spans)));
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<AgentClient> clients = new ArrayList<>();
            for (Agent a : agents) {
                clients.add(new AgentClient(a.name(), a.uri(), http, Duration.ofSeconds(30)));
            }
            FederatedSpanStore federated = new FederatedSpanStore(clients, executor, 60_000_000_000L, 16);
            return run(reference, agents, federated);
        } finally {
            agents.forEach(Agent::close);
            executor.shutdownNow();
        }
    }

    private static Result run(ListSpanStore reference, List<Agent> agents, FederatedSpanStore federated)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> pickedIds = new ArrayList<>();
        for (Map.Entry<String, TraceQuery> q : mix(reference).entrySet()) {
            long bytes = federated.bytes();
            long requests = requests(federated);
            long spans = spans(federated);
            List<TraceSummary> answer = federated.traces(q.getValue());
            boolean equal = answer.equals(reference.traces(q.getValue()));
            rows.add(new Row(q.getKey(), answer.size(), requests(federated) - requests, federated.bytes() - bytes,
                    spans(federated) - spans, equal));
            if (!answer.isEmpty() && pickedIds.size() < 6
                    && !pickedIds.contains(answer.get(answer.size() / 2).traceId())) {
                pickedIds.add(answer.get(answer.size() / 2).traceId());
            }
        }
        for (String id : pickedIds) {
            long bytes = federated.bytes();
            long requests = requests(federated);
            long spans = spans(federated);
            List<Span> answer = federated.trace(id);
            boolean equal = answer.equals(reference.trace(id))
                    && TraceAnalysis.tree(answer).equals(TraceAnalysis.tree(reference.trace(id)));
            rows.add(new Row("trace " + id, answer.size(), requests(federated) - requests, federated.bytes() - bytes,
                    spans(federated) - spans, equal));
        }
        long totalSpans = 0;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        long raw = 0;
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            for (Agent a : agents) {
                for (Span s : a.store().spans()) {
                    byte[] line = (RecordJson.span(s) + "\n").getBytes(StandardCharsets.UTF_8);
                    raw += line.length;
                    z.write(line);
                    totalSpans++;
                }
            }
        }
        return new Result(rows, agents.size(), totalSpans, raw, gz.size(), federated.bytes(), requests(federated), spans(federated),
                federated.rounds(), (int) rows.stream().filter(Row::equal).count());
    }

    /**
     * What an operator asks: the newest traces; by each service; by the busiest endpoints; errors; slow traces
     * (over the 99th and 90th percentile of the roots' durations); and the newest 20 in a few one-second
     * windows across the capture. Then (in {@link #run}) a few traces by id, picked from the answers.
     */
    static Map<String, TraceQuery> mix(ListSpanStore reference) {
        Map<String, TraceQuery> mix = new LinkedHashMap<>();
        mix.put("latest 20", TraceQuery.latest(20));
        TreeSet<String> services = new TreeSet<>();
        Map<String, Long> endpoints = new LinkedHashMap<>();
        for (Span s : reference.spans()) {
            if (s.comm() != null) {
                services.add(s.comm());
            }
            if (s.endpoint() != null && s.kind() == SpanKind.SERVER) {
                endpoints.merge(s.endpoint(), 1L, Long::sum);
            }
        }
        for (String service : services) {
            mix.put("service=" + service, query(service, null, null, 0, 0, Long.MAX_VALUE));
        }
        endpoints.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(e -> mix.put("endpoint=" + e.getKey(), query(null, e.getKey(), null, 0, 0, Long.MAX_VALUE)));
        mix.put("status=server_error", query(null, null, ResponseStatus.SERVER_ERROR, 0, 0, Long.MAX_VALUE));
        mix.put("status=client_error", query(null, null, ResponseStatus.CLIENT_ERROR, 0, 0, Long.MAX_VALUE));
        String front = reference.spans().stream().filter(s -> s.parentSpanId() == null && s.comm() != null)
                .map(Span::comm).findFirst().orElse(null);
        long[] durations = reference.spans().stream().filter(s -> s.parentSpanId() == null).mapToLong(Span::durationNs)
                .sorted().toArray();
        if (durations.length > 0) {
            long p99 = durations[(int) (durations.length * 0.99)];
            long p90 = durations[(int) (durations.length * 0.90)];
            mix.put("service=" + front + " minDuration=p99 (" + p99 / 1000 + " us)",
                    query(front, null, null, p99, 0, Long.MAX_VALUE));
            mix.put("minDuration=p90 (" + p90 / 1000 + " us)", query(null, null, null, p90, 0, Long.MAX_VALUE));
        }
        long[] starts = reference.spans().stream().mapToLong(Span::startNs).sorted().toArray();
        for (int i = 1; i <= 4; i++) {
            long from = starts[starts.length * i / 5];
            mix.put("1 s from the " + (i * 20) + "th percentile of span starts", query(null, null, null, 0, from,
                    from + 1_000_000_000L));
        }
        return mix;
    }

    /**
     * Between copies of the capture: longer than the pipeline's sequence-number link bound (10 s), so that a copy's
     * exchanges, which reuse the recorded connections and sequence numbers, never link to another copy's.
     */
    static final long COPY_GAP_NS = 20_000_000_000L;
    /**
     * Each copy's processes are new ones (pid + k × this; the recorded pids are below it): a copy reuses the
     * recorded connections and TCP sequence numbers, which the same process would take for retransmissions.
     */
    static final int COPY_TGID = 10_000_000;

    /**
     * The host of each process that serves: "host-IP" for the IP its server spans are on (from a first pass of the
     * pipeline, each process on a host of its own). A process serving on two IPs is left out (its own host).
     */
    private static Map<Integer, String> hostsByServedIp(List<CaptureRecord> recorded) {
        Map<Integer, java.util.Set<String>> served = new LinkedHashMap<>();
        for (Span s : CorrelationBench.run(recorded, rec -> "tgid-" + rec.tgid(), new DeepTraceCorrelator(),
                PipelineSettings.defaults("server"))) {
            if (s.kind() == SpanKind.SERVER && s.local() != null) {
                served.computeIfAbsent(s.tgid(), k -> new TreeSet<>())
                        .add(ip(s.local()));
            }
        }
        Map<Integer, String> hosts = new LinkedHashMap<>();
        served.forEach((tgid, ips) -> {
            if (ips.size() == 1) {
                hosts.put(tgid, "host-" + ips.iterator().next());
            }
        });
        return hosts;
    }

    private static String ip(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }

    private static List<CaptureRecord> read(Path capture) throws Exception {
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(capture, new CaptureInput.ReadOptions(false), records::add);
        return records;
    }

    private static List<CaptureRecord> copies(List<CaptureRecord> records, int copies) {
        if (copies <= 1 || records.isEmpty()) {
            return records;
        }
        if (records.stream().anyMatch(r -> r.tgid() >= COPY_TGID) || copies > Integer.MAX_VALUE / COPY_TGID - 1) {
            throw new IllegalArgumentException("pids of the capture too high, or too many copies, to copy it");
        }
        long first = records.stream().mapToLong(CaptureRecord::tsNs).min().orElseThrow();
        long last = records.stream().mapToLong(CaptureRecord::tsNs).max().orElseThrow();
        long period = last - first + COPY_GAP_NS;
        List<CaptureRecord> out = new ArrayList<>(records.size() * copies);
        for (int k = 0; k < copies; k++) {
            long by = k * period;
            for (CaptureRecord r : records) {
                out.add(by == 0 ? r : new CaptureRecord(r.tsNs() + by,
                        r.enterNs() == CaptureRecord.ABSENT ? r.enterNs() : r.enterNs() + by, r.tgid() + k * COPY_TGID,
                        r.tid(),
                        r.comm(), r.fd(), r.syscall(), r.direction(), r.l4(), r.local(), r.remote(), r.tcpSeq(),
                        r.size(), r.payload(), r.truncated()));
            }
        }
        return out;
    }

    private static TraceQuery query(String service, String endpoint, ResponseStatus status, long minNs, long startNs,
            long endNs) {
        return new TraceQuery(service, endpoint, null, status, minNs, Long.MAX_VALUE, startNs, endNs, Map.of(), 20);
    }

    private static long requests(FederatedSpanStore f) {
        return f.agents().stream().mapToLong(a -> a.traffic().requests()).sum();
    }

    private static long spans(FederatedSpanStore f) {
        return f.agents().stream().mapToLong(a -> a.traffic().spansReceived()).sum();
    }

    private static List<Span> dedupe(List<Span> spans) {
        Map<String, Span> byId = new LinkedHashMap<>();
        spans.forEach(s -> byId.putIfAbsent(s.spanId(), s));
        return new ArrayList<>(byId.values());
    }

    /** One agent: its spans behind the REST bundle's agent API on the JDK's HTTP server, on a loopback port. */
    private record Agent(String name, ListSpanStore store, AgentHttpServer server) implements AutoCloseable {
        static Agent of(String name, List<Span> spans) throws IOException {
            ListSpanStore store = new ListSpanStore(spans);
            return new Agent(name, store, new AgentHttpServer(store));
        }

        URI uri() {
            return server.uri();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private QueryDrivenBench() {
    }
}
