package org.deeptrace.testkit.opensearch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A cluster of real OpenSearch nodes on loopback, one JVM each, all cluster-manager eligible, for tests where a
 * node goes away during ingest. Three nodes need about 1 GB and a minute to form on two cores.
 */
public final class OpenSearchCluster implements AutoCloseable {
    private final List<OpenSearchNode> nodes;

    private OpenSearchCluster(List<OpenSearchNode> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code size} nodes under {@code dir} and waits until the cluster has formed with all of them. */
    public static OpenSearchCluster start(Path dir, int size, Duration timeout) {
        int[] ports = Ports.free(2 * size);
        List<String> names = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            names.add("node-" + i);
            seeds.add("127.0.0.1:" + ports[2 * i + 1]);
        }
        List<OpenSearchNode> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("discovery.seed_hosts", String.join(",", seeds));
            settings.put("cluster.initial_cluster_manager_nodes", String.join(",", names));
            nodes.add(new OpenSearchNode(names.get(i), dir.resolve(names.get(i)), ports[2 * i], ports[2 * i + 1],
                    settings, "384m"));
        }
        OpenSearchCluster cluster = new OpenSearchCluster(nodes);
        try {
            nodes.forEach(OpenSearchNode::start);
            for (OpenSearchNode n : nodes) {
                n.awaitReady(timeout);
            }
            cluster.awaitNodes(size, timeout);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public List<OpenSearchNode> nodes() {
        return nodes;
    }

    /** Comma-separated HTTP urls of every node. */
    public String urls() {
        return nodes.stream().map(OpenSearchNode::url).collect(Collectors.joining(","));
    }

    /** Waits until some live node reports {@code count} nodes in the cluster and at least yellow health. */
    public void awaitNodes(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (OpenSearchNode n : nodes) {
                if (!n.isAlive()) {
                    continue;
                }
                try {
                    last = n.request("GET", "/_cluster/health?wait_for_nodes=" + count
                            + "&wait_for_status=yellow&timeout=2s", null);
                    if (last.contains("\"timed_out\":false")) {
                        return;
                    }
                } catch (RuntimeException e) {
                    last = e.getMessage();
                }
            }
            OpenSearchNode.sleep(500);
        }
        throw new IllegalStateException("cluster did not reach " + count + " nodes: " + last);
    }

    @Override
    public void close() {
        nodes.forEach(OpenSearchNode::kill);
    }
}
