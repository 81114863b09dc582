package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One recording of the same traffic two ways at once: {@code bin/deeptrace capture} (eBPF, the
 * processes' syscalls) and tcpdump on loopback (the packets). Started before the fixture starts its servers (the
 * capture follows processes by name or cgroup, so it sees them from their first syscall); closing it stops both.
 */
final class LiveSession implements AutoCloseable {
    private static final Pattern SUMMARY = Pattern.compile("(records|kernel drops|user drops)\\s+(\\d+)");

    final Path dir;
    final Path capture;
    final Path pcap;
    private final Path captureLog;
    private final Path tcpdumpLog;
    private Process captureProcess;
    private Process tcpdump;

    private LiveSession(Path dir, String name) {
        this.dir = dir;
        this.capture = dir.resolve(name + ".capture.jsonl");
        this.pcap = dir.resolve(name + ".pcap");
        this.captureLog = dir.resolve("capture.log");
        this.tcpdumpLog = dir.resolve("tcpdump.log");
    }

    /** Starts both recorders and returns once both record; a fresh {@code target/live/NAME} holds the files. */
    static LiveSession start(String name, List<String> target, String tcpdumpFilter) throws Exception {
        Path dir = LiveEnv.WORK.resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir);
        LiveSession s = new LiveSession(dir, name);
        try {
            List<String> cmd = new ArrayList<>(List.of(LiveEnv.HOME.resolve("bin/deeptrace").toString(), "capture"));
            cmd.addAll(target);
            cmd.add("--out");
            cmd.add(s.capture.toString());
            s.captureProcess = Processes.start(dir, s.captureLog, Map.of(), cmd);
            Processes.await(s.captureProcess, s.captureLog, Duration.ofSeconds(60), "deeptrace capture start",
                    () -> Processes.logContains(s.captureLog, "capturing into"));
            s.tcpdump = Processes.start(dir, s.tcpdumpLog, Map.of(), List.of(LiveEnv.require("tcpdump", "tcpdump"),
                    "-i", "lo", "-U", "-s", "0", "-w", s.pcap.toString(), tcpdumpFilter));
            Processes.await(s.tcpdump, s.tcpdumpLog, Duration.ofSeconds(20), "tcpdump start",
                    () -> Processes.logContains(s.tcpdumpLog, "listening on"));
        } catch (Throwable t) {
            s.close();
            throw t;
        }
        return s;
    }

    /**
     * Stops both recorders (after a short grace so the last records drain) and returns the capture's summary
     * (records, kernel drops, user drops); fails when the capture did not end cleanly.
     */
    Map<String, Long> stop() throws Exception {
        Thread.sleep(300);
        Processes.stop(tcpdump);
        tcpdump = null;
        Process p = captureProcess;
        captureProcess = null;
        p.destroy(); // SIGTERM: the capture detaches, flushes and prints its summary
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            Processes.stop(p);
            throw new AssertionError("deeptrace capture did not stop on SIGTERM:\n" + Processes.tail(captureLog));
        }
        String log = Files.readString(captureLog, StandardCharsets.UTF_8);
        // 143: the JVM's status after SIGTERM, once the shutdown hook has stopped the capture and printed the summary
        assertTrue(p.exitValue() == 0 || p.exitValue() == 143, "deeptrace capture exit status " + p.exitValue()
                + ":\n" + log);
        assertTrue(log.contains("kernel drops"), "no capture summary:\n" + log);
        Map<String, Long> summary = new java.util.TreeMap<>();
        Matcher m = SUMMARY.matcher(log);
        while (m.find()) {
            summary.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return summary;
    }

    @Override
    public void close() throws Exception {
        Processes.stop(tcpdump);
        Processes.stop(captureProcess);
        tcpdump = null;
        captureProcess = null;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
