package org.deeptrace.testkit.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real OpenSearch 2.19.6 node in its own JVM on loopback, for tests. The JVM runs {@link NodeMain} with this
 * JVM's class path (which carries the server jar and transport-netty4 through this module's dependencies), its own
 * data directory and fixed ports, so {@link #kill()} followed by {@link #start()} brings the same node back with its
 * data — an outage as a test needs it. Use {@link #single(Path)} for a single-node cluster or
 * {@link OpenSearchCluster} for several nodes.
 */
public final class OpenSearchNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path home;
    private final int httpPort;
    private final int transportPort;
    private final Map<String, String> settings;
    private final String heap;
    private final List<String> jvmOptions;
    private Process process;

    OpenSearchNode(String name, Path home, int httpPort, int transportPort, Map<String, String> settings, String heap) {
        this(name, home, httpPort, transportPort, settings, heap, FAST_START);
    }

    /** Quick to start, slow when warm (C1 only): right for tests, wrong for throughput figures. */
    static final List<String> FAST_START = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    OpenSearchNode(String name, Path home, int httpPort, int transportPort, Map<String, String> settings, String heap,
            List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
        this.name = name;
        this.home = home;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.settings = settings;
        this.heap = heap;
        Runtime.getRuntime().addShutdownHook(new Thread(this::kill));
    }

    /** Starts a single-node cluster under {@code dir} on free loopback ports and waits until it answers. */
    public static OpenSearchNode single(Path dir) {
        int[] ports = Ports.free(2);
        OpenSearchNode node = new OpenSearchNode("node-0", dir.resolve("node-0"), ports[0], ports[1],
                Map.of("discovery.type", "single-node"), "512m");
        node.start();
        node.awaitReady(Duration.ofSeconds(120));
        return node;
    }

    /**
     * A single node tuned for throughput measurements (full JIT, G1, the given heap) rather than a quick start.
     */
    public static OpenSearchNode singleForBenchmark(Path dir, String heap) {
        int[] ports = Ports.free(2);
        OpenSearchNode node = new OpenSearchNode("node-0", dir.resolve("node-0"), ports[0], ports[1],
                Map.of("discovery.type", "single-node"), heap, List.of("-XX:+UseG1GC"));
        node.start();
        node.awaitReady(Duration.ofSeconds(120));
        return node;
    }

    /** Starts the JVM; returns without waiting for the node (see {@link #awaitReady(Duration)}). */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        try {
            Files.createDirectories(home.resolve("config"));
            Path log4j = home.resolve("config/log4j2.properties");
            Files.writeString(log4j, String.join("\n",
                    "status = error",
                    "appender.console.type = Console",
                    "appender.console.name = console",
                    "appender.console.layout.type = PatternLayout",
                    "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
                    "rootLogger.level = warn",
                    "rootLogger.appenderRef.console.ref = console",
                    "logger.started.name = org.opensearch.node.Node",
                    "logger.started.level = info", ""));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms" + heap, "-Xmx" + heap));
            command.addAll(jvmOptions);
            command.addAll(List.of(
                    "-Dlog4j.configurationFile=" + log4j, "-Dlog4j2.disable.jmx=true",
                    "-Dio.netty.allocator.type=unpooled", "-Djava.awt.headless=true",
                    "-cp", System.getProperty("java.class.path"), NodeMain.class.getName()));
            command.add("cluster.name=" + settings.getOrDefault("cluster.name", "deeptrace-test"));
            command.add("node.name=" + name);
            command.add("path.home=" + home);
            command.add("path.data=" + home.resolve("data"));
            command.add("path.logs=" + home.resolve("logs"));
            command.add("network.host=127.0.0.1");
            command.add("http.port=" + httpPort);
            command.add("transport.port=" + transportPort);
            command.add("http.type=netty4");
            command.add("transport.type=netty4");
            command.add("cluster.routing.allocation.disk.threshold_enabled=false");
            settings.forEach((k, v) -> {
                if (!k.equals("cluster.name")) {
                    command.add(k + "=" + v);
                }
            });
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("node.log").toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start OpenSearch node " + name, e);
        }
    }

    /** Waits until the node's HTTP port answers {@code GET /}; fails with the node's log tail otherwise. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(name + " exited: " + logTail());
            }
            if (get("/") == 200) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ": " + logTail());
    }

    /** Kills the node's JVM at once (SIGKILL): an outage, not a clean shutdown. Data on disk stays. */
    public synchronized void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    public void close() {
        kill();
    }

    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int transportPort() {
        return transportPort;
    }

    public Path home() {
        return home;
    }

    /** The last lines of the node's output, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("node.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Status code of a GET on this node, or -1 when it does not answer. */
    public int get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Body of a request on this node; throws when the node does not answer. */
    public String request(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
