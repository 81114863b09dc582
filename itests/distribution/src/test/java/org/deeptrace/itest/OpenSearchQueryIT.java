package org.deeptrace.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeptrace.testkit.opensearch.OpenSearchNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenSearch sender and query backend in the real distribution, against a real OpenSearch 2.19.6 node (a forked
 * JVM from deeptrace-testkit-opensearch): {@code feature:install deeptrace-sender-opensearch} with {@code enabled}
 * and {@code query_enabled} on, rps100 replayed in the shell; then the query API ({@code /api/traces} in several
 * shapes, {@code /api/traces/{id}} for every trace, {@code /api/dependencies}, {@code /api/endpoints/main/latency},
 * {@code /api/spans}) answers from the cluster exactly what it answers, for the same replay, from the embedded
 * Lucene store ({@code query_enabled = false}) and from the in-memory store (the Lucene bundle stopped too).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenSearchQueryIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final int FRONT = 3056354;
    static final String PID = "org.deeptrace.sender.opensearch";
    private static final Pattern QUERY_TOTAL = Pattern.compile("\"query_total\"\\s*:\\s*(\\d+)");

    OpenSearchNode node;
    Distribution dist;

    @BeforeAll
    void boot() throws Exception {
        Path dir = Distribution.WORK.resolve("opensearch-node");
        Distribution.deleteTree(dir);
        Files.createDirectories(dir);
        node = OpenSearchNode.single(dir);
        dist = Distribution.freshCopy("opensearch-query");
        Path cfg = dist.home().resolve("etc/" + PID + ".cfg");
        String text = Files.readString(cfg);
        text = set(text, "enabled", "true");
        text = set(text, "urls", node.url());
        text = set(text, "replicas", "0"); // one node
        text = set(text, "flush_interval_ms", "200");
        // rps100's monotonic start_ns is dated from this host's boot: on a host up for weeks that day may lie
        // beyond the default 7 days, and retention would delete the index as soon as the sender starts
        text = set(text, "retention_days", "0");
        text = set(text, "query_enabled", "true");
        Files.writeString(cfg, text);
        dist.start();
    }

    @AfterAll
    void shutdown() throws Exception {
        try {
            if (dist != null) {
                dist.stop();
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    private static String set(String cfg, String key, String value) {
        String changed = cfg.replaceFirst("(?m)^#?\\s*" + Pattern.quote(key) + "\\s*=.*$",
                Matcher.quoteReplacement(key + " = " + value));
        if (changed.equals(cfg)) {
            throw new IllegalStateException("no line '" + key + " = ...' in the shipped " + PID + ".cfg");
        }
        return changed;
    }

    @Test
    void theClusterAnswersTheQueryApiExactlyAsTheEmbeddedAndMemoryStores() throws Exception {
        Distribution.Result r = dist.client("feature:install deeptrace-sender-opensearch\n");
        assertEquals(0, r.code(), r.toString());
        Distribution.await(WAIT, "the OpenSearch sender and query backend", () -> {
            String services = services();
            return services.contains("deeptrace.sender = opensearch") && services.contains("deeptrace.store = opensearch");
        });

        Path input = Distribution.SHARED.resolve("datasets/rps100.capture.jsonl");
        r = dist.client("deeptrace:replay --algo deeptrace " + input + "\n");
        assertEquals(0, r.code(), r.toString());
        long spans = awaitAllIndexed();
        assertTrue(spans > 1000, "rps100 gives about 1,600 spans: " + spans);

        long searchesBefore = searches();
        Map<String, JsonNode> fromCluster = answers();
        assertTrue(searches() > searchesBefore + fromCluster.size(), "the answers came from the cluster");
        JsonNode all = fromCluster.get("traces?limit=1000");
        assertTrue(all.size() >= 280, "about 290 traces: " + all.size());
        assertEquals(spans, fromCluster.get("spans?limit=10000").size());

        r = dist.client("config:edit " + PID + "\nconfig:property-set query_enabled false\nconfig:update\n");
        assertEquals(0, r.code(), r.toString());
        Distribution.await(WAIT, "the OpenSearch query backend to go", () -> !services().contains("deeptrace.store = opensearch"));
        Map<String, JsonNode> fromLucene = answers();

        Matcher lucene = Pattern.compile("(?m)^\\s*(\\d+)\\s*\\S\\s*Active\\b.*org\\.deeptrace\\.store\\.lucene\\s*$")
                .matcher(dist.client("bundle:list -s -t 0\n").out());
        assertTrue(lucene.find(), "the Lucene store's bundle is active");
        String luceneId = lucene.group(1);
        r = dist.client("bundle:stop " + luceneId + "\n");
        assertEquals(0, r.code(), r.toString());
        Distribution.await(WAIT, "the Lucene store to stop", () -> {
            try {
                return dist.client("bundle:list -s -t 0\n").out().lines()
                        .anyMatch(l -> l.strip().matches(luceneId + "\\s.*Resolved.*"));
            } catch (Exception e) {
                return false;
            }
        });
        Map<String, JsonNode> fromMemory = answers();

        assertEquals(fromMemory.keySet(), fromCluster.keySet());
        List<String> differ = new ArrayList<>();
        for (String query : fromMemory.keySet()) {
            if (!fromMemory.get(query).equals(fromCluster.get(query))) {
                differ.add("opensearch " + query + "\n  memory:     " + clip(fromMemory.get(query))
                        + "\n  opensearch: " + clip(fromCluster.get(query)));
            }
            if (!fromMemory.get(query).equals(fromLucene.get(query))) {
                differ.add("lucene " + query);
            }
        }
        assertTrue(differ.isEmpty(), differ.size() + " answers differ:\n" + String.join("\n", differ));
        System.out.printf("OpenSearchQueryIT: %d spans, %d traces; %d answers equal from OpenSearch, Lucene and memory%n",
                spans, all.size(), fromMemory.size());
        assertFalse(fromMemory.get("dependencies").isEmpty(), "rps100 has edges");
        assertFalse(fromMemory.get("endpoints/main/latency").isEmpty(), "rps100 has latencies");
    }

    /** The same queries against whichever store the API uses now, by path. */
    private Map<String, JsonNode> answers() throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String q : List.of("traces?limit=1000", "traces?limit=20", "traces?limit=1",
                "traces?service=main&endpoint=/&tag=tgid:" + FRONT + "&tag=kind:server&limit=1000",
                "traces?protocol=dns&limit=1000", "traces?protocol=HTTP1&status=ok&limit=50",
                "traces?minDurationMs=5&limit=1000", "traces?maxDurationMs=2&limit=100",
                "traces?status=server_error&limit=100", "traces?service=nobody",
                "dependencies", "endpoints/main/latency", "endpoints/nobody/latency",
                "spans?limit=10000", "spans?protocol=dns&limit=10000", "spans?pid=" + FRONT + "&limit=10000")) {
            out.put(q, dist.json(q));
        }
        JsonNode all = out.get("traces?limit=1000");
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (JsonNode t : all) {
            out.put("traces/" + t.get("trace_id").asText(), dist.json("traces/" + t.get("trace_id").asText()));
            first = Math.min(first, t.get("start_ns").asLong());
            last = Math.max(last, t.get("start_ns").asLong());
        }
        if (!all.isEmpty()) {
            // the API takes epoch milliseconds; rps100's clock is monotonic, so these are early January 1970
            long firstMs = first / 1_000_000L;
            long lastMs = last / 1_000_000L + 1;
            long middle = firstMs + (lastMs - firstMs) / 2;
            String half = "start=" + firstMs + "&end=" + middle;
            out.put("traces?" + half + "&limit=1000", dist.json("traces?" + half + "&limit=1000"));
            out.put("dependencies?" + half, dist.json("dependencies?" + half));
            out.put("endpoints/main/latency?start=" + middle + "&end=" + lastMs,
                    dist.json("endpoints/main/latency?start=" + middle + "&end=" + lastMs));
        }
        return out;
    }

    /** Waits until the sender took every span the pipeline handed it and the node holds them all; their number. */
    private long awaitAllIndexed() throws Exception {
        long[] last = {-1, 0};
        Distribution.await(WAIT, "every span indexed", () -> {
            try {
                JsonNode c = dist.json("status").get("counters");
                long handed = c.path("sent.opensearch").asLong(-1);
                long acked = c.path("sender.opensearch.sent").asLong(-2);
                if (handed <= 0 || handed != acked) {
                    return false;
                }
                node.request("POST", "/deeptrace-spans-*/_refresh", null);
                long indexed = countOf(node.request("GET", "/deeptrace-spans-*/_count", null));
                boolean stable = indexed == handed && last[0] == handed && ++last[1] >= 4;
                if (last[0] != handed) {
                    last[0] = handed;
                    last[1] = 0;
                }
                return stable;
            } catch (Exception e) {
                return false;
            }
        });
        return last[0];
    }

    private String services() {
        try {
            return dist.client("service:list org.deeptrace.api.store.SpanStore\nservice:list org.deeptrace.api.sender.SpanSender\n")
                    .out();
        } catch (Exception e) {
            return "";
        }
    }

    private long searches() {
        Matcher m = QUERY_TOTAL.matcher(node.request("GET", "/_stats/search", null));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long countOf(String answer) {
        Matcher m = Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(answer);
        if (!m.find()) {
            throw new AssertionError("no count in " + answer);
        }
        return Long.parseLong(m.group(1));
    }

    private static String clip(JsonNode n) {
        String s = n.toString();
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

}
