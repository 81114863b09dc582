package org.deeptrace.sender.opensearch.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    private static byte[] entry(int i, int pad) {
        return ("{\"index\":{\"_id\":\"" + i + "\"}}\n{\"n\":" + i + ",\"pad\":\"" + "x".repeat(pad) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsEntriesInOrderAcrossSegmentsAndRestarts(@TempDir Path dir) throws Exception {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(entry(i, 1000));
        }
        try (Spool spool = new Spool(dir, 1L << 20)) {
            assertEquals(0, spool.append(all));
            assertTrue(spool.segments() >= 3, "128 KB segments: " + spool.segments());
        }
        List<byte[]> read = new ArrayList<>();
        try (Spool reopened = new Spool(dir, 1L << 20)) {
            long bytes = all.stream().mapToLong(e -> e.length).sum();
            assertEquals(bytes, reopened.bytes());
            for (long seq = reopened.oldest(); seq >= 0; seq = reopened.oldest()) {
                Spool.Read r = reopened.read(seq);
                assertEquals(0, r.tornBytes());
                read.addAll(r.entries());
                reopened.replace(seq, List.of());
            }
            assertEquals(0, reopened.bytes());
            assertTrue(reopened.isEmpty());
        }
        assertEquals(all.size(), read.size());
        for (int i = 0; i < all.size(); i++) {
            assertArrayEquals(all.get(i), read.get(i));
        }
    }

    @Test
    void refusesWhatDoesNotFitAndCountsIt(@TempDir Path dir) throws Exception {
        byte[] e = entry(1, 100_000);
        try (Spool spool = new Spool(dir, 1L << 20)) {
            List<byte[]> many = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                many.add(e);
            }
            int refused = spool.append(many);
            assertEquals(15 - (int) ((1L << 20) / e.length), refused);
            assertTrue(spool.bytes() <= 1L << 20);
        }
    }

    @Test
    void aTornTailFromACrashIsSkippedAndReported(@TempDir Path dir) throws Exception {
        try (Spool spool = new Spool(dir, 1L << 20)) {
            spool.append(List.of(entry(1, 10), entry(2, 10)));
        }
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.findFirst().orElseThrow();
        }
        Files.write(segment, "{\"index\":{}}\n{\"half".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Spool spool = new Spool(dir, 1L << 20)) {
            Spool.Read r = spool.read(spool.oldest());
            assertEquals(2, r.entries().size());
            assertEquals(19, r.tornBytes());
            spool.replace(spool.oldest(), r.entries().subList(1, 2));
            assertEquals(List.of(new String(entry(2, 10), StandardCharsets.UTF_8)),
                    spool.read(spool.oldest()).entries().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        }
    }

    @Test
    void anUnreachableClusterFillsTheSpoolThenDropsAreCountedNeverSilent(@TempDir Path dir) throws Exception {
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Map<String, Object> config = Cluster.config("http://127.0.0.1:" + closedPort, "x-", dir);
        config.put("spool_max_mb", "1");
        Shipper shipper = Cluster.start(config);
        int total = 0;
        try {
            long t0 = System.currentTimeMillis();
            for (int i = 0; i < 40; i++) {
                shipper.add(TestSpans.synthetic(i * 100L, 100, 1_700_000_000_000_000_000L));
                total += 100;
            }
            shipper.flush();
            assertTrue(System.currentTimeMillis() - t0 < 10_000, "a dead cluster must not stall the pipeline");
            Map<String, Long> c = shipper.counters();
            assertTrue(shipper.isDown());
            assertEquals(0L, c.get("sent"));
            assertTrue(c.get("dropped.spool_full") > 0, c.toString());
            assertEquals(total, c.get("spooled") + c.get("dropped.spool_full"), c.toString());
            assertTrue(c.get("spool.bytes") <= 1L << 20, c.toString());
        } finally {
            shipper.close();
        }
    }
}
