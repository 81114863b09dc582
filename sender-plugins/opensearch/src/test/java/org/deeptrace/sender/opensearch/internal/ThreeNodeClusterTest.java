package org.deeptrace.sender.opensearch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.sender.opensearch.internal.query.ClusterSpanStore;
import org.deeptrace.store.memory.internal.MemorySpanStore;
import org.deeptrace.testkit.opensearch.OpenSearchCluster;
import org.deeptrace.testkit.opensearch.OpenSearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three OpenSearch nodes on loopback (one JVM each); the sender knows all three. The elected cluster manager is
 * killed in the middle of ingest: the cluster elects another, replicas are promoted, the client moves to the live
 * nodes, and every span is indexed exactly once. With the manager still down, the query backend (replicas 1)
 * answers as the in-memory store does.
 */
class ThreeNodeClusterTest {

    @Test
    void killingTheClusterManagerDuringIngestLosesNoSpan(@TempDir Path dir) throws Exception {
        try (OpenSearchCluster cluster = OpenSearchCluster.start(dir, 3, Duration.ofSeconds(240))) {
            Map<String, Object> config = Cluster.config(cluster.urls(), "cluster-", dir.resolve("spool"));
            config.put("replicas", "1");
            Shipper shipper = Cluster.start(config);
            long t0 = System.currentTimeMillis() * 1_000_000L;
            int total = 0;
            List<Span> sent = new ArrayList<>();
            OpenSearchNode killed = null;
            try {
                for (int batch = 0; batch < 30; batch++) {
                    if (batch == 10) {
                        killed = manager(cluster);
                        killed.kill();
                    }
                    List<Span> batchSpans = TestSpans.synthetic(0x2000_0000L + total, 100, t0 + total * 1_000_000L);
                    shipper.add(batchSpans);
                    sent.addAll(batchSpans);
                    total += 100;
                    Thread.sleep(50);
                }
                shipper.flush();
                OpenSearchNode alive = cluster.nodes().stream().filter(OpenSearchNode::isAlive).findFirst().orElseThrow();
                int expected = total;
                long got = Cluster.awaitCount(expected, 120_000, () -> {
                    alive.request("POST", "/cluster-*/_refresh", null);
                    return Cluster.count(alive.request("GET", "/cluster-*/_count", null));
                });
                Map<String, Long> c = shipper.counters();
                assertEquals(expected, got, killed.name() + " killed; " + c);
                assertEquals(0L, c.get("dropped.spool_full") + c.get("dropped.rejected")
                        + c.get("dropped.spool_error"), c.toString());
                String ids = alive.request("POST", "/cluster-*/_search", "{\"size\":0,\"aggs\":{\"ids\":{\"cardinality\":"
                        + "{\"field\":\"span_id\",\"precision_threshold\":40000}}}}");
                assertTrue(ids.replaceAll("\\s", "").contains("\"ids\":{\"value\":" + total + "}"), ids);
                assertQueriesAnsweredWithANodeDown(config, sent, killed);
            } finally {
                shipper.close();
            }
        }
    }

    /** The query backend knows all three nodes, one of them dead: it answers from the replicas as memory does. */
    private static void assertQueriesAnsweredWithANodeDown(Map<String, Object> config, List<Span> sent,
            OpenSearchNode killed) throws Exception {
        assertTrue(!killed.isAlive());
        MemorySpanStore memory = new MemorySpanStore();
        memory.send(sent);
        try (ClusterSpanStore store = ClusterSpanStore.of(SenderSettings.from(config))) {
            for (int i = 0; i < 3; i++) { // the client may try the dead node first: every call must still answer
                assertEquals(sent.size(), store.size());
                assertEquals(memory.find(SpanQuery.latest(100)), store.find(SpanQuery.latest(100)));
                assertEquals(memory.dependencies(0, Long.MAX_VALUE), store.dependencies(0, Long.MAX_VALUE));
                OpenSearchQueryTest.assertLatencyEquals(memory.endpointLatency("svc", 0, Long.MAX_VALUE),
                        store.endpointLatency("svc", 0, Long.MAX_VALUE));
            }
        }
    }

    private static OpenSearchNode manager(OpenSearchCluster cluster) {
        String name = cluster.nodes().get(0).request("GET", "/_cat/cluster_manager?h=node", null).trim();
        return cluster.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node named '" + name + "'"));
    }
}
