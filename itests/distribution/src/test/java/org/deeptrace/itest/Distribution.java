package org.deeptrace.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** A private copy of the assembled distribution, driven through bin/deeptrace, bin/client and HTTP. */
final class Distribution {
    static final Path HOME = Path.of(System.getProperty("deeptrace.home")).toAbsolutePath().normalize();
    static final Path SHARED = Path.of(System.getProperty("deeptrace.shared")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("deeptrace.work")).toAbsolutePath().normalize();
    static final Path TEST_PLUGIN = Path.of(System.getProperty("deeptrace.testPlugin")).toAbsolutePath().normalize();
    /** Ports of the test copies; set -Dit.httpPort / -Dit.sshPort to run two builds' integration tests side by side. */
    static final int HTTP_PORT = Integer.getInteger("deeptrace.httpPort", 8181);
    static final int SSH_PORT = Integer.getInteger("deeptrace.sshPort", 8101);
    static final String API = "http://127.0.0.1:" + HTTP_PORT + "/api/";
    private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001b\\[[0-9;?]*[a-zA-Z]");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final String api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Distribution(Path home) {
        this(home, API);
    }

    private Distribution(Path home, String api) {
        this.home = home;
        this.api = api;
    }

    /** A fresh copy of the distribution under the build directory, so tests never touch the assembled one. */
    static Distribution freshCopy(String name) throws IOException {
        return freshCopy(name, HTTP_PORT, SSH_PORT);
    }

    /** As {@link #freshCopy(String)}, on the given ports (tests that run several installations at once). */
    static Distribution freshCopy(String name, int httpPort, int sshPort) throws IOException {
        Path target = WORK.resolve(name);
        deleteTree(target);
        copyTree(HOME, target);
        setPort(target.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", httpPort);
        setPort(target.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", sshPort);
        return new Distribution(target, "http://127.0.0.1:" + httpPort + "/api/");
    }

    private static void setPort(Path cfg, String key, int port) throws IOException {
        String text = Files.readString(cfg);
        String changed = text.replaceFirst("(?m)^" + java.util.regex.Pattern.quote(key) + "\\s*=.*$", key + " = " + port);
        if (changed.equals(text) && !text.contains(key + " = " + port)) {
            throw new IllegalStateException(cfg + ": no line '" + key + " = ...' to set the test port in");
        }
        Files.writeString(cfg, changed);
    }

    Path home() {
        return home;
    }

    /** Runs {@code bin/deeptrace args...} to completion. */
    Result run(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/deeptrace").toString());
        cmd.addAll(List.of(args));
        return exec(cwd, null, cmd);
    }

    /** Runs shell commands in the running container through bin/client; colours are stripped from the output. */
    Result client(String commands) throws IOException, InterruptedException {
        Result r = exec(home, commands, List.of(home.resolve("bin/client").toString(), "-u", "karaf", "-p", "karaf", "-b"));
        return new Result(r.code(), ANSI.matcher(r.out()).replaceAll(""), ANSI.matcher(r.err()).replaceAll(""));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /api/PATH}, which must answer 200 with JSON; the parsed body. */
    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200 || !r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            throw new AssertionError(path + ": " + r.statusCode() + " " + r.headers().firstValue("Content-Type")
                    + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Starts {@code bin/deeptrace args...} in the background, its output going to {@code output}. */
    Process spawn(Path cwd, Path output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/deeptrace").toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    void start() throws Exception {
        start(Duration.ofSeconds(180));
    }

    /** As {@link #start()}, waiting up to {@code timeout} (several installations booting at once take longer). */
    void start(Duration timeout) throws Exception {
        Result r = run(home, "start");
        if (r.code() != 0) {
            throw new IllegalStateException("bin/deeptrace start failed: " + r);
        }
        await(timeout, "the REST API to answer", () -> {
            try {
                return get("status").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    void stop() throws IOException, InterruptedException {
        run(home, "stop");
        // bin/stop returns before the JVM is gone; wait so the next test may bind the same ports.
        for (int i = 0; i < 60 && run(home, "status").code() == 0; i++) {
            Thread.sleep(500);
        }
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static Result exec(Path cwd, String stdin, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Path out = Files.createTempFile("dt-out", ".txt");
        Path err = Files.createTempFile("dt-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()) : ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("command did not finish in 5 minutes: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** A finished command. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
