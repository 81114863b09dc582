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
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    private static final long DAY_NS = 86_400_000_000_000L;

    private static Set<String> indices(String pattern) {
        Set<String> out = new TreeSet<>();
        for (String line : node.request("GET", "/_cat/indices/" + pattern + "?h=index", null).split("\n")) {
            if (!line.isBlank()) {
                out.add(line.trim());
            }
        }
        return out;
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
        // a host up for 30 days: rps100's start_ns is a monotonic clock, dated from that boot
        SenderClock clock = new SenderClock(System::currentTimeMillis, () -> 30 * DAY_NS);
        long bootNs = clock.bootEpochNs();
        Map<String, Object> config = Cluster.config(node.url(), "rps-", dir.resolve("spool-rps"));
        config.put("retention_days", "0"); // the 2023 span is older than any retention: the timer would delete it
        Shipper shipper = Cluster.start(config, clock);
        try {
            for (int i = 0; i < spans.size(); i += 100) {
                shipper.add(spans.subList(i, Math.min(spans.size(), i + 100)));
            }
            shipper.add(List.of(wallClock));
            shipper.flush();
            // the wall-clock span goes to the day of its start_ns, the others to the days of boot + start_ns
            assertEquals(1, count("rps-2023.11.14"));
            Set<String> days = new TreeSet<>();
            for (Span s : spans) {
                days.add("rps-" + DAY.format(Instant.ofEpochMilli((bootNs + s.startNs()) / 1_000_000L)));
            }
            assertEquals(spans.size(), count(String.join(",", days)), node.logTail());
            days.add("rps-2023.11.14");
            assertEquals(days, indices("rps-*"));
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

    /**
     * The same spans sent again a day later (the same capture replayed twice, a sender restarted across midnight)
     * are one document each: the index is the day of the span's start, not of its sending. Dated by arrival
     * ({@code timestamp = received}) they would be two — checked too, so this test can tell the difference.
     */
    @Test
    @Order(2)
    void aSpanSentAgainADayLaterIsOneDocument() throws Exception {
        long now = System.currentTimeMillis();
        long uptimeNs = 3 * DAY_NS + 5_000_000_000L;
        SenderClock today = new SenderClock(() -> now, () -> uptimeNs);
        SenderClock tomorrow = new SenderClock(() -> now + DAY_NS / 1_000_000L, () -> uptimeNs + DAY_NS);
        List<Span> spans = new ArrayList<>();
        spans.addAll(TestSpans.synthetic(0x2000_0000L, 50, uptimeNs - 3_600_000_000_000L)); // monotonic, an hour ago
        spans.addAll(TestSpans.synthetic(0x3000_0000L, 50, (now - 3_600_000L) * 1_000_000L)); // wall clock, an hour ago
        for (String timestamp : List.of("auto", "received")) {
            String prefix = "again-" + timestamp + "-";
            for (SenderClock clock : List.of(today, tomorrow)) {
                Map<String, Object> config = Cluster.config(node.url(), prefix, dir.resolve("spool-again-" + timestamp));
                config.put("timestamp", timestamp);
                Shipper shipper = Cluster.start(config, clock);
                try {
                    shipper.add(spans);
                    shipper.flush();
                    assertEquals((long) spans.size(), shipper.counters().get("sent"), shipper.counters().toString());
                } finally {
                    shipper.close();
                }
            }
        }
        String day = "again-auto-" + DAY.format(Instant.ofEpochMilli(now - 3_600_000L));
        assertEquals(spans.size(), count("again-auto-*"), indices("again-auto-*").toString());
        assertEquals(Set.of(day), indices("again-auto-*"));
        assertEquals(2L * spans.size(), count("again-received-*"), indices("again-received-*").toString());
        assertEquals(2, indices("again-received-*").size());
    }

    @Test
    @Order(3)
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
    @Order(4)
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
