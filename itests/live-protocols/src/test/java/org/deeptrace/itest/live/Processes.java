package org.deeptrace.itest.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Starting, waiting for and stopping the processes of a test, children included. */
final class Processes {
    private Processes() {
    }

    /** Starts {@code command} in {@code dir} with its output (both streams) into {@code log}. */
    static Process start(Path dir, Path log, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * Runs a fixture command to its end; fails with its output when it exits with an error or outlives
     * {@code timeout} (then it and its children are killed).
     */
    static void run(Path dir, Path log, Duration timeout, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        Process p = start(dir, log, env, command);
        try {
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(command + " still running after " + timeout + ":\n" + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + p.exitValue() + ":\n" + tail(log));
            }
        } finally {
            stop(p);
        }
    }

    /** SIGTERM to the process and its descendants, then SIGKILL to what is left after 10 s. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    /** Waits until {@code condition} holds; fails with the log when {@code p} dies or time runs out. */
    static void await(Process p, Path log, Duration timeout, String what, BooleanSupplier condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new AssertionError(what + ": the process exited with " + p.exitValue() + ":\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not after " + timeout + ":\n" + tail(log));
            }
            Thread.sleep(50);
        }
    }

    static boolean logContains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        String s = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}
