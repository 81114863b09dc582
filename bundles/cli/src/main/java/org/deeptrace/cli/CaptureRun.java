package org.deeptrace.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.deeptrace.api.capture.CaptureSource;
import org.osgi.framework.Bundle;

/**
 * One {@code deeptrace capture}: runs the eBPF capture bundle (lib/capture/) with the replay set's infrastructure
 * bundles (SCR, ConfigAdmin, SLF4J; not the pipeline) in an embedded framework, configures its targets from the
 * command line and writes every record to the output file until the duration ends or the process is told to stop.
 */
final class CaptureRun {

    static final String CAPTURE_PID = "org.deeptrace.capture";
    static final long SERVICE_WAIT_MS = 20_000;
    static final long FLUSH_PERIOD_MS = 500;
    /**
     * How long a SIGTERM waits for the capture to stop, drain the ring buffer, flush the file and print the summary
     * before the JVM exits anyway (a loaded machine with a full ring buffer took more than 10 s once).
     */
    static final long STOP_WAIT_SECONDS = 30;

    /** What the run did: the numbers of the summary. */
    record Summary(long records, long bytes, long kernelDrops, long userDrops) {
        List<String> lines() {
            return List.of(
                    String.format("records       %d", records),
                    String.format("bytes         %d", bytes),
                    String.format("kernel drops  %d", kernelDrops),
                    String.format("user drops    %d", userDrops));
        }
    }

    private final Distribution distribution;
    private final Map<String, String> env;
    private final PrintStream err;
    private final boolean debug;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    CaptureRun(Distribution distribution, Map<String, String> env, PrintStream err, boolean debug) {
        this.distribution = distribution;
        this.env = env;
        this.err = err;
        this.debug = debug;
    }

    Summary run(CaptureOptions options) throws CliException {
        return run(options, summary -> { });
    }

    /**
     * Runs the capture and hands the summary to {@code report} before the run counts as finished: a SIGTERM's
     * shutdown hook waits for that, so the JVM cannot exit between the end of the capture and the summary.
     */
    Summary run(CaptureOptions options, Consumer<Summary> report) throws CliException {
        Map<String, String> karaf = new LinkedHashMap<>();
        karaf.put("karaf.home", distribution.home().toString());
        karaf.put("karaf.base", distribution.home().toString());
        karaf.put("karaf.data", distribution.data().toString());
        karaf.put("karaf.etc", distribution.etc().toString());
        karaf.forEach(System::setProperty);
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", debug ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        List<ConfigFiles.Config> configs = withTargets(
                ConfigFiles.readAll(distribution.etc(), ConfigFiles.placeholders(karaf, env)), options);

        Thread hook = new Thread(this::onSignal, "deeptrace-capture-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, String> properties = new HashMap<>(karaf);
        properties.put("org.osgi.framework.system.packages.extra",
                SystemPackages.extraExports(CaptureRun.class.getClassLoader()));
        properties.put("felix.log.level", debug ? "2" : "1");
        properties.put("ds.loglevel", debug ? "info" : "warn");
        try (EmbeddedFramework framework = new EmbeddedFramework(properties);
                CaptureFileWriter out = new CaptureFileWriter(Files.newOutputStream(options.out()))) {
            List<Bundle> bundles = framework.install(jars());
            framework.installFailures().forEach((jar, reason) -> warn(jar + ": not installed: " + reason));
            framework.configure(bundles, configs);
            framework.startAll(bundles);
            framework.startFailures().forEach((b, reason) ->
                    warn("bundle " + b.getSymbolicName() + " did not start: " + reason));
            CaptureSource source = framework.waitForService(CaptureSource.class, SERVICE_WAIT_MS);
            if (source == null) {
                List<String> why = ComponentDiagnostics.explain(framework.context(), framework.startFailures());
                throw CliException.failed("no CaptureSource service appeared (lib/capture/deeptrace-capture-ebpf.jar)"
                        + (why.isEmpty() ? "" : System.lineSeparator() + String.join(System.lineSeparator(), why)));
            }
            AtomicLong records = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            try {
                source.start(r -> {
                    try {
                        out.write(r);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    records.incrementAndGet();
                    bytes.addAndGet(r.size());
                    return true;
                });
            } catch (Exception e) {
                throw CliException.failed(e.getMessage(), e);
            }
            // Start-up takes a few seconds (framework, BPF load): say when the probes are live, so whoever drives
            // the traffic knows from when on it is recorded.
            String until = options.durationSeconds() > 0
                    ? "for " + BigDecimal.valueOf(options.durationSeconds()).stripTrailingZeros().toPlainString() + " s"
                    : "until stopped (Ctrl-C)";
            err.println("deeptrace capture: capturing into " + options.out() + " " + until);
            err.flush();
            awaitStop(options, out);
            source.stop();
            Map<String, Long> c = source.counters();
            out.flush();
            Summary summary = new Summary(records.get(), bytes.get(), c.getOrDefault("drops.kernel_ring_buffer", 0L)
                    + c.getOrDefault("drops.kernel_map_full", 0L),
                    c.getOrDefault("drops.user_space", 0L) + c.getOrDefault("drops.sink_refused", 0L));
            report.accept(summary);
            return summary;
        } catch (IOException e) {
            throw CliException.failed(options.out() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted");
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and waits for `finished`
            }
        }
    }

    /**
     * Until the duration ends or a stop is requested; meanwhile the file is flushed every {@link #FLUSH_PERIOD_MS}
     * so that it trails the capture by no more than that (the writer itself writes only in large blocks).
     */
    private void awaitStop(CaptureOptions options, CaptureFileWriter out) throws InterruptedException, IOException {
        long deadline = options.durationSeconds() > 0
                ? System.nanoTime() + (long) (options.durationSeconds() * 1e9) : Long.MAX_VALUE;
        while (true) {
            long left = deadline == Long.MAX_VALUE ? FLUSH_PERIOD_MS
                    : Math.min(FLUSH_PERIOD_MS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (left <= 0 || stopRequested.await(left, TimeUnit.MILLISECONDS)) {
                return;
            }
            out.flush();
        }
    }

    /** SIGTERM/Ctrl-C: let the main thread stop the capture, flush the file and print the summary. */
    private void onSignal() {
        stopRequested.countDown();
        try {
            finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Infrastructure of the replay set (not the deeptrace-* plugins nor the pipeline), then lib/capture/*.jar. */
    private List<Path> jars() throws CliException {
        List<Path> jars = new ArrayList<>();
        for (Path jar : distribution.bundleJars()) {
            String name = jar.getFileName().toString();
            if (jar.getParent().equals(distribution.replayBundles()) && !name.startsWith("deeptrace-")
                    && !name.startsWith("jackson-")) {
                jars.add(jar);
            }
        }
        Path dir = distribution.home().resolve("lib").resolve("capture");
        try (var files = Files.list(dir)) {
            jars.addAll(files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList()));
        } catch (IOException e) {
            throw CliException.failed(dir + ": " + e.getMessage(), e);
        }
        return jars;
    }

    /** etc/org.deeptrace.capture.cfg with the command line's targets in place of its own. */
    static List<ConfigFiles.Config> withTargets(List<ConfigFiles.Config> configs, CaptureOptions o) {
        Hashtable<String, Object> p = new Hashtable<>();
        List<ConfigFiles.Config> result = new ArrayList<>();
        for (ConfigFiles.Config c : configs) {
            if (!c.isFactory() && c.pid().equals(CAPTURE_PID)) {
                p.putAll(c.properties());
            } else {
                result.add(c);
            }
        }
        p.put("pids", o.pids().stream().map(String::valueOf).collect(Collectors.joining(",")));
        p.put("comms", String.join(",", o.comms()));
        p.put("cgroups", String.join(",", o.cgroups()));
        p.put("all", String.valueOf(o.all()));
        result.add(new ConfigFiles.Config(CAPTURE_PID, null, p));
        return result;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private void warn(String message) {
        err.println("deeptrace capture: warning: " + message);
    }
}
