package org.deeptrace.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.sender.opensearch.internal.StandaloneSender;
import org.deeptrace.testkit.opensearch.OpenSearchNode;

/**
 * OpenSearch bulk throughput of the sender: starts one real OpenSearch 2.19.6 node (a forked JVM, 1 GB heap, G1, full
 * JIT, unlike the quick-start nodes of the tests), then pushes made-up HTTP spans (about 600 bytes of JSON each) through the sender in pipeline
 * sized batches and reports spans/s two ways — accepted by the sender (encode + bulk round trips, since a batch is
 * shipped on the calling thread when full) and indexed (until {@code _count} after a refresh shows them all).
 *
 * <pre>bench/run OpenSearchBulkBench [spans=200000] [bulk_actions=1000] [existing node url]</pre>
 */
public final class OpenSearchBulkBench {
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

    private OpenSearchBulkBench() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int bulk = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("deeptrace-opensearch-bench");
        long t = System.nanoTime();
        try (OpenSearchNode node = OpenSearchNode.singleForBenchmark(dir, "1g")) {
            System.out.printf("node up in %.1f s at %s%n", (System.nanoTime() - t) / 1e9, node.url());
            run(node, dir, "warmup-", Math.min(total, 20_000), bulk);
            run(node, dir, "bench-", total, bulk);
        }
    }

    private static void run(OpenSearchNode node, Path dir, String prefix, int total, int bulk) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("urls", node.url());
        config.put("index_prefix", prefix);
        config.put("bulk_actions", String.valueOf(bulk));
        config.put("replicas", "0");
        config.put("spool_path", dir.resolve("spool-" + prefix).toString());
        List<Span> spans = spans(total);
        long start = System.nanoTime();
        Map<String, Long> counters;
        long accepted;
        try (StandaloneSender sender = StandaloneSender.start(config)) {
            for (int i = 0; i < spans.size(); i += 256) {
                sender.send(spans.subList(i, Math.min(spans.size(), i + 256)));
            }
            sender.flush();
            accepted = System.nanoTime() - start;
            counters = sender.counters();
        }
        long indexed;
        while (true) {
            node.request("POST", "/" + prefix + "*/_refresh", null);
            Matcher m = COUNT.matcher(node.request("GET", "/" + prefix + "*/_count", null));
            if (m.find() && Long.parseLong(m.group(1)) >= total) {
                indexed = System.nanoTime() - start;
                break;
            }
            Thread.sleep(50);
        }
        String stats = node.request("GET", "/" + prefix + "*/_stats/store", null);
        Matcher size = Pattern.compile("\"size_in_bytes\"\\s*:\\s*(\\d+)").matcher(stats);
        long bytes = size.find() ? Long.parseLong(size.group(1)) : -1;
        System.out.printf("%s %d spans, bulk %d: sender %.0f spans/s (%.2f s), indexed %.0f spans/s (%.2f s),"
                + " store %.0f bytes/span; %s%n", prefix, total, bulk, total / (accepted / 1e9), accepted / 1e9,
                total / (indexed / 1e9), indexed / 1e9, bytes / (double) total, counters);
    }

    private static List<Span> spans(int n) {
        List<Span> out = new ArrayList<>(n);
        long t0 = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < n; i++) {
            long start = t0 + i * 100_000L;
            boolean client = (i & 1) == 1;
            out.add(new Span(String.format("%016x", 0x5eed_0000_0000L + i), client ? String.format("%016x", 0x5eed_0000_0000L + i - 1) : null,
                    String.format("%032x", 0xabcdL + i / 6), client ? SpanKind.CLIENT : SpanKind.SERVER, "host-" + (i % 4),
                    1000 + i % 7, 2000 + i % 31, "svc-" + (i % 7), "HTTP1", Transport.TCP, "10.0.0." + (i % 7) + ":8080",
                    "10.0.1." + (i % 13) + ":" + (30000 + i % 20000), start, start + 150_000L + (i % 5000) * 1000L,
                    200 + i % 300, 1000 + i % 4000, "GET /api/v1/items/{id}", "GET", "/api/v1/items/" + i,
                    i % 50 == 0 ? ResponseStatus.SERVER_ERROR : ResponseStatus.OK, i % 50 == 0 ? 500 : 200, null,
                    "req-" + i, client ? new Correlation("fifo", 0.9, 2) : null));
        }
        return out;
    }
}
