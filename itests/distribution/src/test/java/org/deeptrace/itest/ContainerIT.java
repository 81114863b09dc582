package org.deeptrace.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Boots the assembled distribution with {@code bin/deeptrace start} (offline, loopback only) and checks what an
 * operator relies on: every component up, REST and shell answering, a replay through the container reaching the
 * senders, hot deploy and removal of a protocol plugin, and a correlator switch through etc/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    Distribution dist;

    /** A pin to the test plugin's protocol, which is not installed at boot (see {@link #pinsFollowThePluginsAndInferenceSettingsApplyWithoutARestart}). */
    static final String PIN = "7777=PING";

    @BeforeAll
    void boot() throws Exception {
        dist = Distribution.freshCopy("container");
        Path cfg = dist.home().resolve("etc/org.deeptrace.pipeline.cfg");
        String text = Files.readString(cfg);
        String pinned = text.replaceFirst("(?m)^protocols\\.ports\\s*=.*$", "protocols.ports = " + PIN);
        assertFalse(pinned.equals(text), cfg + " has a protocols.ports line");
        Files.writeString(cfg, pinned);
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

    static boolean hasName(JsonNode plugins, String name) {
        for (JsonNode p : plugins) {
            if (name.equals(p.get("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A pin to a protocol no plugin provides is warned about once at boot, without traffic, after the plugins have
     * arrived (not for each plugin still missing while they do); it is counted in the status, cleared by installing
     * the plugin, and warned again when the plugin goes. A bad min.confidence is rejected with the file, key, value
     * and reason, and a good one applied, without a restart.
     */
    @Test
    @Order(0)
    void pinsFollowThePluginsAndInferenceSettingsApplyWithoutARestart() throws Exception {
        Path cfg = dist.home().resolve("etc/org.deeptrace.pipeline.cfg");
        String warning = cfg + ": protocols.ports = '" + PIN + "': no protocol plugin named 'PING' is installed";
        String resolved = cfg + ": protocols.ports '" + PIN + "' is resolved";
        Distribution.await(WAIT, "the boot warning about " + PIN, () -> count(warning) == 1);
        assertEquals(1L, pinsUnresolved(), "protocols.pins_unresolved at boot");
        assertEquals(1L, api("status").get("counters").path("protocols.pins_unresolved.7777/tcp=PING").asLong());
        Thread.sleep(2_000); // the check is made once: no second warning, no flapping "resolved"
        assertEquals(1, count(warning));
        assertEquals(0, count(resolved));
        Distribution.Result shell = dist.client("deeptrace:status\n");
        assertTrue(shell.out().lines().anyMatch(l -> l.contains("protocols.pins_unresolved.7777/tcp=PING")),
                shell.toString());

        Path deployed = dist.home().resolve("deploy/" + Distribution.TEST_PLUGIN.getFileName());
        Files.copy(Distribution.TEST_PLUGIN, deployed, StandardCopyOption.REPLACE_EXISTING);
        Distribution.await(WAIT, "the pin resolved by the PING plugin", () -> count(resolved) == 1);
        assertEquals(0L, pinsUnresolved());
        Files.delete(deployed);
        Distribution.await(WAIT, "the pin warned about again once PING is gone", () -> count(warning) == 2);
        assertEquals(1L, pinsUnresolved());

        String original = Files.readString(cfg);
        long defaultsApplied = count("min.confidence 0.5,");
        try {
            Files.writeString(cfg, original.replaceAll("(?m)^min\\.confidence\\s*=.*$", "min.confidence = 1.5"));
            Distribution.await(WAIT, "the bad min.confidence rejected", () -> count(cfg
                    + ": min.confidence = '1.5' must be between 0 and 1") >= 1);
            assertTrue(log().contains("Configuration not applied, the previous values stay in force"));
            Files.writeString(cfg, original.replaceAll("(?m)^min\\.confidence\\s*=.*$", "min.confidence = 0.6"));
            Distribution.await(WAIT, "min.confidence 0.6 applied", () -> count("min.confidence 0.6,") >= 1);
        } finally {
            Files.writeString(cfg, original);
        }
        Distribution.await(WAIT, "min.confidence back to 0.5", () -> count("min.confidence 0.5,") > defaultsApplied);
    }

    private long pinsUnresolved() throws Exception {
        return api("status").get("counters").path("protocols.pins_unresolved").asLong(-1);
    }

    private String log() {
        try {
            return Files.readString(dist.home().resolve("data/log/karaf.log"));
        } catch (Exception e) {
            return "";
        }
    }

    /** Lines of karaf.log that contain {@code text}. */
    private long count(String text) {
        return log().lines().filter(l -> l.contains(text)).count();
    }

    @Test
    @Order(1)
    void everyBundleAndComponentIsActive() throws Exception {
        Distribution.Result r = dist.client("bundle:list -s -t 0 | grep deeptrace\nscr:list\n");
        assertEquals(0, r.code(), r.toString());
        for (String bsn : List.of("org.deeptrace.api", "org.deeptrace.pipeline", "org.deeptrace.capture.files",
                "org.deeptrace.store.memory", "org.deeptrace.shell", "org.deeptrace.rest",
                "org.deeptrace.capture.pcap", "org.deeptrace.capture.ebpf", "org.deeptrace.protocol.http1",
                "org.deeptrace.protocol.http2", "org.deeptrace.protocol.redis", "org.deeptrace.protocol.dns",
                "org.deeptrace.protocol.tls", "org.deeptrace.protocol.thrift", "org.deeptrace.protocol.fastcgi",
                "org.deeptrace.protocol.dubbo", "org.deeptrace.protocol.sofarpc", "org.deeptrace.protocol.brpc",
                "org.deeptrace.protocol.tars", "org.deeptrace.protocol.someip", "org.deeptrace.store.lucene",
                "org.deeptrace.correlator.fifo",
                "org.deeptrace.correlator.delay", "org.deeptrace.correlator.deeptrace", "org.deeptrace.sender.file")) {
            assertTrue(r.out().lines().anyMatch(l -> l.contains(bsn) && l.contains("Active")), bsn + " active:\n" + r.out());
        }
        assertTrue(r.out().lines().filter(l -> l.contains("org.deeptrace")).noneMatch(
                l -> l.contains("UNSATISFIED") || l.contains("FAIL")), "all DS components satisfied:\n" + r.out());

        JsonNode status = api("status");
        assertEquals("fifo", status.get("correlator").asText());
        assertTrue(status.get("correlator_available").asBoolean());
        for (String protocol : List.of("HTTP1", "HTTP2", "Redis", "DNS", "TLS")) {
            assertTrue(hasName(api("protocols"), protocol), protocol);
        }
        for (String correlator : List.of("fifo", "delay", "deeptrace")) {
            assertTrue(hasName(api("correlators"), correlator), correlator);
        }
        assertTrue(hasName(api("senders"), "file"));
        assertEquals(400, dist.get("spans?limit=abc").statusCode());
        assertEquals(404, dist.get("nowhere").statusCode());
    }

    @Test
    @Order(2)
    void aReplayThroughTheShellReachesTheSendersAndTheRestApi() throws Exception {
        Path input = Distribution.SHARED.resolve("datasets/rps100.capture.jsonl");
        Distribution.Result r = dist.client("deeptrace:replay " + input + "\n");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("3208"), r.out());

        Path spansFile = dist.home().resolve("data/spans/spans.jsonl");
        Distribution.await(WAIT, "1604 spans (HTTP and DNS) in " + spansFile, () -> lines(spansFile) >= 1604);
        assertEquals(1604, lines(spansFile));
        Distribution.await(WAIT, "the file sender's own counter at 1604", () -> {
            try {
                JsonNode written = api("status").get("counters").get("sender.file.written");
                return written != null && written.asLong() == 1604;
            } catch (Exception e) {
                return false;
            }
        });

        // the span store is another sender, fed by its own queue and searchable after its next refresh
        Distribution.await(WAIT, "HTTP1 spans in the span store", () -> {
            try {
                return api("spans?protocol=HTTP1&limit=50").size() == 50;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode spans = api("spans?protocol=HTTP1&limit=50");
        assertEquals(50, spans.size());
        JsonNode first = spans.get(0);
        assertEquals("HTTP1", first.get("protocol").asText());
        assertTrue(first.get("span_id").asText().matches("[0-9a-f]{16}"));
        assertTrue(first.has("start_ns") && first.has("end_ns") && first.has("req_size"));
        assertEquals(0, api("spans?endpoint=/no/such/endpoint").size());
    }

    @Test
    @Order(3)
    void aProtocolPluginDroppedIntoDeployIsActiveAndLeavesCleanly() throws Exception {
        assertFalse(hasName(api("protocols"), "PING"));
        Path deployed = dist.home().resolve("deploy/" + Distribution.TEST_PLUGIN.getFileName());
        Files.copy(Distribution.TEST_PLUGIN, deployed, StandardCopyOption.REPLACE_EXISTING);
        Distribution.await(WAIT, "PING among the protocols", () -> has("protocols", "PING"));
        Distribution.await(WAIT, "last-started among the correlators", () -> has("correlators", "last-started"));

        Files.delete(deployed);
        Distribution.await(WAIT, "PING gone from the protocols", () -> !has("protocols", "PING"));
        assertTrue(has("protocols", "HTTP1"), "the other plugins stay");
    }

    @Test
    @Order(4)
    void theCorrelatorIsSwitchedThroughEtcWithoutARestart() throws Exception {
        Path deployed = dist.home().resolve("deploy/" + Distribution.TEST_PLUGIN.getFileName());
        Files.copy(Distribution.TEST_PLUGIN, deployed, StandardCopyOption.REPLACE_EXISTING);
        Distribution.await(WAIT, "last-started among the correlators", () -> has("correlators", "last-started"));

        Path cfg = dist.home().resolve("etc/org.deeptrace.pipeline.cfg");
        String original = Files.readString(cfg);
        Files.writeString(cfg, original.replaceAll("(?m)^correlator\\s*=.*$", "correlator = last-started"));
        Distribution.await(WAIT, "the pipeline to use last-started", () -> statusIs("last-started", true));

        Files.writeString(cfg, original);
        Distribution.await(WAIT, "the pipeline back on fifo", () -> statusIs("fifo", true));
        Files.delete(deployed);
    }

    @Test
    @Order(5)
    void captureTargetsAreChangedFromTheShellAndKeptInEtc() throws Exception {
        Distribution.Result added = dist.client("deeptrace:capture --add-comm dt-it-nothing --add-pid 999999\n");
        assertEquals(0, added.code(), added.toString());
        assertTrue(added.out().contains("comms [dt-it-nothing]") && added.out().contains("pids [999999]"), added.out());
        Path cfg = dist.home().resolve("etc/org.deeptrace.capture.cfg");
        Distribution.await(WAIT, "the targets written back to " + cfg, () -> {
            try {
                return Files.readString(cfg).contains("dt-it-nothing");
            } catch (Exception e) {
                return false;
            }
        });

        Distribution.Result cleared = dist.client("deeptrace:capture --clear\n");
        assertTrue(cleared.out().contains("none (the capture is idle)"), cleared.toString());
    }

    private boolean has(String path, String name) {
        try {
            return hasName(api(path), name);
        } catch (Exception e) {
            return false;
        }
    }

    private boolean statusIs(String correlator, boolean available) {
        try {
            JsonNode s = api("status");
            return correlator.equals(s.get("correlator").asText()) && s.get("correlator_available").asBoolean() == available;
        } catch (Exception e) {
            return false;
        }
    }

    private static long lines(Path file) {
        try (var l = Files.lines(file)) {
            return l.count();
        } catch (Exception e) {
            return -1;
        }
    }
}
