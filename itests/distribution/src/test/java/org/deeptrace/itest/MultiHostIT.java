package org.deeptrace.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two hosts on one machine: network namespaces with their own addresses joined by a veth pair. A Python front
 * service on host a calls a Python backend on host b for every request. One {@code bin/deeptrace capture} per host
 * records that host's service (live eBPF, as root); {@code bin/deeptrace replay a=FILE b=FILE} then assembles each
 * request into one trace across both hosts: a's server span, a's client span, and b's server span linked to it.
 */
class MultiHostIT {
    private static final String NS_A = "dtit-a";
    private static final String NS_B = "dtit-b";
    private static final String ADDR_A = "10.213.77.1";
    private static final String ADDR_B = "10.213.77.2";
    private static final int REQUESTS = 20;

    private static Distribution dist;
    private static Path work;
    private static final List<Process> services = new ArrayList<>();

    @BeforeAll
    static void twoHosts() throws Exception {
        if (!"0".equals(sh("id", "-u").strip())) {
            fail("the multi-host test needs root for network namespaces and eBPF (CI runs as root)");
        }
        dist = Distribution.freshCopy("multihost");
        work = Files.createDirectories(Distribution.WORK.resolve("multihost-work"));
        for (String script : List.of("front.py", "backend.py", "client.py")) {
            try (InputStream in = MultiHostIT.class.getResourceAsStream("/multihost/" + script)) {
                Files.copy(in, work.resolve(script), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        removeNamespaces();
        sh("ip", "netns", "add", NS_A);
        sh("ip", "netns", "add", NS_B);
        sh("ip", "link", "add", "dtit-va", "type", "veth", "peer", "name", "dtit-vb");
        sh("ip", "link", "set", "dtit-va", "netns", NS_A);
        sh("ip", "link", "set", "dtit-vb", "netns", NS_B);
        sh("ip", "-n", NS_A, "addr", "add", ADDR_A + "/24", "dev", "dtit-va");
        sh("ip", "-n", NS_B, "addr", "add", ADDR_B + "/24", "dev", "dtit-vb");
        for (String[] nsDev : new String[][] {{NS_A, "dtit-va"}, {NS_B, "dtit-vb"}, {NS_A, "lo"}, {NS_B, "lo"}}) {
            sh("ip", "-n", nsDev[0], "link", "set", nsDev[1], "up");
        }
        services.add(inNamespace(NS_B, "python3", work.resolve("backend.py").toString(), ADDR_B, "8080"));
        services.add(inNamespace(NS_A, "python3", work.resolve("front.py").toString(), ADDR_A, "8000", ADDR_B, "8080"));
        Distribution.await(Duration.ofSeconds(20), "the two services to listen", () -> {
            try {
                return sh("ip", "netns", "exec", NS_A, "python3", "-c",
                        "import socket; socket.create_connection(('" + ADDR_A + "', 8000), 1).close();"
                                + "socket.create_connection(('" + ADDR_B + "', 8080), 1).close()").isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Process p : services) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        removeNamespaces();
    }

    @Test
    void requestsBecomeTracesAcrossHosts() throws Exception {
        long front = services.get(1).pid();
        long backend = services.get(0).pid();
        Path outA = work.resolve("a.capture.jsonl");
        Path outB = work.resolve("b.capture.jsonl");
        Path logA = work.resolve("capture-a.log");
        Path logB = work.resolve("capture-b.log");
        Process captureA = dist.spawn(work, logA, "capture", "--pid", String.valueOf(front), "--out", outA.toString());
        Process captureB = dist.spawn(work, logB, "capture", "--pid", String.valueOf(backend), "--out", outB.toString());
        try {
            Distribution.await(Duration.ofSeconds(90), "both captures to start", () ->
                    read(logA).contains("capturing into") && read(logB).contains("capturing into"));
            String client = sh("ip", "netns", "exec", NS_A, "python3", work.resolve("client.py").toString(), ADDR_A,
                    "8000", String.valueOf(REQUESTS));
            assertEquals("", client.strip(), "the client saw an error");
            Thread.sleep(500); // the last records leave the ring buffer
        } finally {
            captureA.destroy(); // SIGTERM: the capture stops, flushes its file and prints its summary
            captureB.destroy();
            assertTrue(captureA.waitFor(30, TimeUnit.SECONDS) && captureB.waitFor(30, TimeUnit.SECONDS));
        }
        for (Path log : List.of(logA, logB)) {
            String summary = read(log);
            assertTrue(summary.contains("kernel drops  0") && summary.contains("user drops    0"), summary);
        }

        Path spansOut = work.resolve("two-hosts.spans.jsonl");
        Distribution.Result replay = dist.run(work, "replay", "a=" + outA, "b=" + outB, "--algo", "deeptrace",
                "--spans", spansOut.toString());
        assertEquals(0, replay.code(), replay.toString());

        ObjectMapper json = new ObjectMapper();
        Map<String, List<JsonNode>> byTrace = new HashMap<>();
        for (String line : Files.readAllLines(spansOut)) {
            JsonNode s = json.readTree(line);
            byTrace.computeIfAbsent(s.get("trace_id").asText(), k -> new ArrayList<>()).add(s);
        }
        int crossHostTraces = 0;
        for (List<JsonNode> trace : byTrace.values()) {
            JsonNode backendServer = only(trace, "b", "server");
            JsonNode frontClient = only(trace, "a", "client");
            JsonNode frontServer = only(trace, "a", "server");
            assertEquals(3, trace.size(), "a front request, its call and the backend's answer: " + trace);
            assertEquals(frontClient.get("span_id").asText(), backendServer.get("parent_span_id").asText(),
                    "b's server span is reached by a's client span");
            assertEquals(frontServer.get("span_id").asText(), frontClient.get("parent_span_id").asText(),
                    "a's call is caused by a's incoming request");
            assertTrue(frontServer.get("parent_span_id").isNull());
            assertEquals(ADDR_B + ":8080", frontClient.get("remote").asText());
            assertEquals(frontClient.get("local").asText(), backendServer.get("remote").asText());
            assertTrue(frontServer.get("request_resource").asText().startsWith("/order-"));
            crossHostTraces++;
        }
        assertEquals(REQUESTS, crossHostTraces, "one trace per request");
    }

    private static JsonNode only(List<JsonNode> trace, String host, String kind) {
        List<JsonNode> found = trace.stream()
                .filter(s -> host.equals(s.get("host").asText()) && kind.equals(s.get("kind").asText())).toList();
        assertEquals(1, found.size(), "one " + kind + " span on host " + host + " in " + trace);
        return found.get(0);
    }

    private static Process inNamespace(String ns, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        // `ip netns exec` execs the command itself, so the process id is the service's: what capture targets
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(ns + ".log").toFile()).start();
    }

    private static void removeNamespaces() {
        for (String ns : List.of(NS_A, NS_B)) {
            try {
                sh("ip", "netns", "del", ns); // takes its end of the veth pair, and so the pair, with it
            } catch (Exception e) {
                // not there: nothing to remove
            }
        }
    }

    /** Runs a command to completion; its output, or an exception naming the command and its output. */
    private static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
