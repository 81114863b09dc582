package org.deeptrace.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The embedded span store in the real distribution: a capture replayed through the shell is stored in the Lucene
 * index under data/spans/index, queryable over REST and in the shell (trace search, trace trees, the dependency
 * graph, latency histograms), and still there after the container restarts.
 *
 * <p>rps100: three Go services, all named {@code main} (so told apart by pid): A (3056354) serves {@code /} on
 * 192.168.0.4:5000 and calls B (3056217) and C (3056210), which serve {@code /} too; A also resolves names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceQueryIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int FRONT = 3056354;
    static final List<Integer> BACKENDS = List.of(3056217, 3056210);

    Distribution dist;
    String frontTrace;
    int frontTraceSpans;
    int tracesBefore;

    @BeforeAll
    void boot() throws Exception {
        dist = Distribution.freshCopy("trace-query");
        dist.start();
    }

    @AfterAll
    void shutdown() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    JsonNode api(String path) throws Exception {
        return dist.json(path);
    }

    @Test
    @Order(1)
    void theLuceneStoreIsActiveAndRankedFirst() throws Exception {
        Distribution.Result r = dist.client("bundle:list -s -t 0 | grep store\nscr:list | grep -i store\n");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("org.deeptrace.store.lucene") && l.contains("Active")),
                r.out());
        assertTrue(java.util.regex.Pattern.compile("LuceneSpanStore[^\n]*\n\\s*Id: \\d+, State:ACTIVE").matcher(r.out())
                .find(), r.out());
        assertTrue(Files.isDirectory(dist.home().resolve("data/spans/index")), "index created under data/spans/index");
        assertEquals(0, api("traces").size(), "a fresh installation stores nothing");
    }

    @Test
    @Order(2)
    void aReplayedCaptureIsStoredAndSearchable() throws Exception {
        Path input = Distribution.SHARED.resolve("datasets/rps100.capture.jsonl");
        Distribution.Result r = dist.client("deeptrace:replay --algo deeptrace " + input + "\n");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("3208"), r.out());

        String frontQuery = "traces?service=main&endpoint=/&tag=tgid:" + FRONT + "&tag=kind:server&limit=1000";
        Distribution.await(WAIT, "the front service's traces", () -> count(frontQuery) >= 280);
        JsonNode front = api(frontQuery);
        tracesBefore = front.size();
        assertTrue(tracesBefore <= 288, "one trace per request to A: " + tracesBefore);
        long previous = Long.MAX_VALUE;
        List<Long> durations = new ArrayList<>();
        for (JsonNode t : front) {
            assertTrue(t.get("trace_id").asText().matches("[0-9a-f]{32}"));
            assertEquals("main", t.get("root_service").asText());
            assertEquals("/", t.get("root_endpoint").asText());
            assertTrue(t.get("start_ns").asLong() <= previous, "newest first");
            previous = t.get("start_ns").asLong();
            durations.add(t.get("duration_ns").asLong());
        }
        JsonNode first = front.get(0);
        frontTrace = first.get("trace_id").asText();
        frontTraceSpans = first.get("span_count").asInt();
        assertTrue(frontTraceSpans >= 5, "A's span, its calls to B and C and their server spans: " + first);

        // minDurationMs keeps the slower traces only: every one at least that long, fewer than all.
        durations.sort(null);
        long medianNs = durations.get(durations.size() / 2);
        double minMs = medianNs / 1e6;
        JsonNode slow = api(frontQuery + "&minDurationMs=" + minMs);
        assertFalse(slow.isEmpty());
        assertTrue(slow.size() < front.size(), slow.size() + " of " + front.size());
        for (JsonNode t : slow) {
            assertTrue(t.get("duration_ns").asLong() >= medianNs, t.toString());
        }
        assertEquals(3, api("traces?limit=3").size());
        assertEquals(0, api("traces?service=nobody").size());
        HttpResponse<String> bad = dist.get("traces?minDurationMs=soon");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("minDurationMs"), bad.body());
    }

    @Test
    @Order(3)
    void aTraceIsATreeFromTheFrontServerSpan() throws Exception {
        JsonNode trace = api("traces/" + frontTrace);
        assertEquals(frontTrace, trace.get("trace_id").asText());
        assertEquals(frontTraceSpans, trace.get("span_count").asInt());
        JsonNode roots = trace.get("roots");
        assertEquals(1, roots.size(), trace.toString());
        JsonNode root = roots.get(0);
        assertEquals("server", root.get("kind").asText());
        assertEquals(FRONT, root.get("tgid").asInt());
        assertEquals("/", root.get("endpoint").asText());
        List<Integer> reached = new ArrayList<>();
        for (JsonNode call : root.get("children")) {
            assertEquals("client", call.get("kind").asText());
            assertEquals(FRONT, call.get("tgid").asInt());
            assertEquals(root.get("span_id").asText(), call.get("parent_span_id").asText());
            for (JsonNode served : call.get("children")) {
                assertEquals("server", served.get("kind").asText());
                reached.add(served.get("tgid").asInt());
            }
        }
        assertTrue(reached.containsAll(BACKENDS), "A's calls reach B and C: " + reached);
        assertEquals(404, dist.get("traces/" + "0".repeat(32)).statusCode());
    }

    @Test
    @Order(4)
    void dependenciesLinkTheFrontToBothBackends() throws Exception {
        JsonNode edges = api("dependencies");
        for (int backend : BACKENDS) {
            JsonNode edge = null;
            for (JsonNode e : edges) {
                if (e.get("parent_pid").asInt() == FRONT && e.get("child_pid").asInt() == backend) {
                    edge = e;
                }
            }
            assertTrue(edge != null, "edge A -> " + backend + " in " + edges);
            assertEquals("main", edge.get("parent").asText());
            assertEquals("main", edge.get("child").asText());
            assertTrue(edge.get("calls").asLong() >= 250, edge.toString());
            assertTrue(edge.get("calls_per_second").asDouble() > 0, edge.toString());
            double errors = edge.get("error_rate").asDouble();
            assertTrue(errors >= 0 && errors <= 1, edge.toString());
            long p50 = edge.get("p50_ns").asLong();
            assertTrue(p50 > 0 && p50 <= edge.get("p90_ns").asLong()
                    && edge.get("p90_ns").asLong() <= edge.get("p99_ns").asLong(), edge.toString());
        }
        assertEquals(0, api("dependencies?start=1000&end=2000").size(), "nothing in 1970");
        assertEquals(400, dist.get("dependencies?start=yesterday").statusCode());
    }

    @Test
    @Order(5)
    void latencyHistogramsPerEndpoint() throws Exception {
        JsonNode endpoints = api("endpoints/main/latency");
        JsonNode served = null;
        for (JsonNode e : endpoints) {
            if ("/".equals(e.get("endpoint").asText()) && "server".equals(e.get("kind").asText())) {
                served = e;
            }
        }
        assertTrue(served != null, endpoints.toString());
        long count = served.get("count").asLong();
        assertTrue(count >= 850, "about 288 requests served by each of the three: " + count);
        long inBuckets = 0;
        for (JsonNode b : served.get("buckets")) {
            assertTrue(b.get("lower_ns").asLong() < b.get("upper_ns").asLong());
            inBuckets += b.get("count").asLong();
        }
        assertEquals(count, inBuckets);
        assertTrue(served.get("p50_ns").asLong() <= served.get("p99_ns").asLong());
    }

    @Test
    @Order(6)
    void theShellAnswersTheSameQueries() throws Exception {
        Distribution.Result r = dist.client("deeptrace:traces --service main --tag tgid:" + FRONT + " --limit 5\n"
                + "deeptrace:trace " + frontTrace + "\ndeeptrace:dependencies\n");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains(frontTrace), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("server main/" + FRONT + " HTTP1 /")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("    server main/" + BACKENDS.get(0))
                || l.startsWith("    server main/" + BACKENDS.get(1))), r.out());
        assertTrue(r.out().contains("main/" + BACKENDS.get(0)) && r.out().contains("main/" + BACKENDS.get(1)), r.out());
    }

    @Test
    @Order(7)
    void theTracesSurviveARestart() throws Exception {
        dist.stop();
        try (Stream<Path> files = Files.list(dist.home().resolve("data/spans/index"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("segments_")), "a commit on disk");
        }
        dist.start();
        String frontQuery = "traces?service=main&endpoint=/&tag=tgid:" + FRONT + "&tag=kind:server&limit=1000";
        Distribution.await(WAIT, "the store reopened", () -> count(frontQuery) == tracesBefore);
        JsonNode trace = api("traces/" + frontTrace);
        assertEquals(frontTraceSpans, trace.get("span_count").asInt());
        assertEquals(1, trace.get("roots").size());
    }

    private int count(String path) {
        try {
            HttpResponse<String> r = dist.get(path);
            return r.statusCode() == 200 ? JSON.readTree(r.body()).size() : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
