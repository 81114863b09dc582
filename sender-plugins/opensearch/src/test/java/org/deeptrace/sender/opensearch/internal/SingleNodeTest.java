package org.deeptrace.sender.opensearch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;
import org.deeptrace.testkit.opensearch.OpenSearchNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sender against one real OpenSearch 2.19.6 node (a forked JVM, see deeptrace-testkit-opensearch): spans are
 * searchable with the template's mappings, old daily indices are deleted, and a node outage in the middle of
 * ingest — with a restart of the sender while the node is away — loses and duplicates nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SingleNodeTest {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private static Path dir;
    private static OpenSearchNode node;

    @BeforeAll
    static void startNode() throws Exception {
        dir = Files.createTempDirectory("deeptrace-opensearch-test");
        node = OpenSearchNode.single(dir);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static long count(String indexPattern) {
        node.request("POST", "/" + indexPattern + "/_refresh?ignore_unavailable=true", null);
        return Cluster.count(node.request("GET", "/" + indexPattern + "/_count?ignore_unavailable=true", null));
    }

    @Test
    @Order(1)
    void rps100SpansAreSearchableWithTheTemplateMappings() throws Exception {
        List<Span> spans = TestSpans.rps100();
        Span wallClock = TestSpans.synthetic(0xabc000L, 1, 1_700_000_000_000_000_000L).get(0);
        Shipper shipper = Cluster.start(Cluster.config(node.url(), "rps-", dir.resolve("spool-rps")));
        try {
            for (int i = 0; i < spans.size(); i += 100) {
                shipper.add(spans.subList(i, Math.min(spans.size(), i + 100)));
            }
            shipper.add(List.of(wallClock));
            shipper.flush();
            // rps100's start_ns is a monotonic clock: those spans are dated by arrival (today's index); the
            // wall-clock span goes to the day of its start_ns
            String today = "rps-" + DAY.format(Instant.now());
            String yesterday = "rps-" + DAY.format(Instant.now().minus(Duration.ofDays(1))); // a run across midnight
            assertEquals(1, count("rps-2023.11.14"));
            assertEquals(spans.size(), count(today + "," + yesterday), node.logTail());
            Map<String, Long> c = shipper.counters();
            assertEquals(spans.size() + 1L, c.get("sent"), c.toString());
            assertEquals(0L, c.get("spooled"), c.toString());
        } finally {
            shipper.close();
        }
        String mapping = node.request("GET", "/rps-*/_mapping", null).replaceAll("\\s", "");
        assertTrue(mapping.contains("\"span_id\":{\"type\":\"keyword\"}"), mapping);
        assertTrue(mapping.contains("\"start_ns\":{\"type\":\"long\"}"), mapping);
        assertTrue(mapping.contains("\"@timestamp\":{\"type\":\"date\",\"format\":\"epoch_millis\"}"), mapping);
        assertTrue(mapping.contains("\"correlation\":{\"properties\":{\"algorithm\":{\"type\":\"keyword\"}"), mapping);
        // keyword fields match exactly, longs compare as numbers, the date serves a time range
        assertEquals(1, Cluster.count(node.request("POST", "/rps-*/_count",
                "{\"query\":{\"term\":{\"span_id\":\"7270730000000005\"}}}")));
        long dns = spans.stream().filter(s -> s.protocol().equals("DNS")).count();
        assertTrue(dns > 0);
        assertEquals(dns, Cluster.count(node.request("POST", "/rps-*/_count",
                "{\"query\":{\"term\":{\"protocol\":\"DNS\"}}}")));
        long slow = spans.stream().filter(s -> s.durationNs() > 1_000_000L).count();
        assertEquals(slow, Cluster.count(node.request("POST", "/rps-*/_count",
                "{\"query\":{\"range\":{\"duration_ns\":{\"gt\":1000000}}}}")));
        assertEquals(1, Cluster.count(node.request("POST", "/rps-*/_count",
                "{\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2023-11-14T00:00:00Z\",\"lt\":\"2023-11-15T00:00:00Z\","
                        + "\"format\":\"strict_date_optional_time\"}}}}")));
    }

    @Test
    @Order(2)
    void retentionDeletesDailyIndicesOlderThanConfigured() {
        String today = "ret-" + DAY.format(Instant.now());
        String old = "ret-" + DAY.format(Instant.now().minus(Duration.ofDays(10)));
        String recent = "ret-" + DAY.format(Instant.now().minus(Duration.ofDays(2)));
        for (String index : List.of(today, old, recent, "ret-not-a-day")) {
            node.request("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0}}");
        }
        Map<String, Object> config = Cluster.config(node.url(), "ret-", dir.resolve("spool-ret"));
        config.put("retention_days", "3");
        Shipper shipper = Cluster.start(config);
        try {
            shipper.applyRetention();
            assertEquals(1L, shipper.counters().get("retention.indices_deleted"));
        } finally {
            shipper.close();
        }
        String indices = node.request("GET", "/_cat/indices/ret-*?h=index", null);
        assertFalse(indices.contains(old), indices);
        assertTrue(indices.contains(today) && indices.contains(recent) && indices.contains("ret-not-a-day"), indices);
    }

    @Test
    @Order(3)
    void nodeOutageAndSenderRestartLoseAndDuplicateNothing() throws Exception {
        Path spool = dir.resolve("spool-outage");
        long t0 = System.currentTimeMillis() * 1_000_000L;
        Shipper first = Cluster.start(Cluster.config(node.url(), "outage-", spool));
        int total = 0;
        try {
            for (int batch = 0; batch < 20; batch++) {
                if (batch == 5) {
                    node.kill();
                }
                first.add(TestSpans.synthetic(0x1000_0000L + total, 100, t0 + total * 1_000_000L));
                total += 100;
                Thread.sleep(20);
            }
            first.flush();
            Map<String, Long> c = first.counters();
            assertTrue(c.get("spooled") >= 1500, c.toString());
            assertTrue(c.get("spool.bytes") > 0, c.toString());
        } finally {
            first.close(); // the sender goes down while the cluster is away: the spool stays on disk
        }
        node.start();
        node.awaitReady(Duration.ofSeconds(120));
        Shipper second = Cluster.start(Cluster.config(node.url(), "outage-", spool));
        try {
            for (int batch = 0; batch < 5; batch++) {
                second.add(TestSpans.synthetic(0x1000_0000L + total, 100, t0 + total * 1_000_000L));
                total += 100;
            }
            second.flush();
            int expected = total;
            long got = Cluster.awaitCount(expected, 60_000, () -> count("outage-*"));
            Map<String, Long> c = second.counters();
            assertEquals(expected, got, c + "\n" + node.logTail());
            assertTrue(c.get("drained") >= 1500, c.toString());
            assertEquals(0L, c.get("dropped.spool_full") + c.get("dropped.rejected")
                    + c.get("dropped.spool_error"), c.toString());
            long deadline = System.currentTimeMillis() + 10_000;
            while (second.counters().get("spool.bytes") > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0L, second.counters().get("spool.bytes"));
        } finally {
            second.close();
        }
        // exactly once: one document per span id, and every id present
        String ids = node.request("POST", "/outage-*/_search",
                "{\"size\":0,\"aggs\":{\"ids\":{\"cardinality\":{\"field\":\"span_id\",\"precision_threshold\":40000}}}}");
        assertTrue(ids.replaceAll("\\s", "").contains("\"ids\":{\"value\":" + total + "}"), ids);
        try (var files = Files.list(spool)) {
            assertEquals(0, files.filter(f -> f.toString().endsWith(".ndjson")).count());
        }
    }
}
