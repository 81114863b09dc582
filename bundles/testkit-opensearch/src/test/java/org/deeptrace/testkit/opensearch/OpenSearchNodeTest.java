package org.deeptrace.testkit.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSearchNodeTest {

    @Test
    void startsAnswersSurvivesAKillWithItsDataAndStops(@TempDir Path dir) {
        try (OpenSearchNode node = OpenSearchNode.single(dir)) {
            assertTrue(node.request("GET", "/", null).contains("\"number\" : \"2.19.6\""), node.logTail());
            node.request("PUT", "/probe/_doc/1?refresh=true", "{\"a\":1}");
            node.kill();
            assertEquals(-1, node.get("/"));
            node.start();
            node.awaitReady(Duration.ofSeconds(120));
            node.request("GET", "/_cluster/health?wait_for_status=yellow&timeout=60s", null);
            assertTrue(node.request("GET", "/probe/_doc/1", null).contains("\"found\":true"));
            node.close();
            assertFalse(node.isAlive());
        }
    }
}
