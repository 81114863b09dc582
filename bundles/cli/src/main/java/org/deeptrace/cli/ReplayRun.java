package org.deeptrace.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.runtime.ReplayReport;
import org.deeptrace.api.runtime.ReplayRequest;
import org.deeptrace.api.runtime.ReplayService;
import org.osgi.framework.Bundle;

/**
 * One {@code deeptrace replay}: starts the distribution's replay bundles in an embedded framework, configures
 * them from etc/, waits for the ReplayService and calls it.
 */
final class ReplayRun {

    static final String PIPELINE_PID = "org.deeptrace.pipeline";
    static final String CORRELATOR_KEY = "correlator";
    static final String PORTS_KEY = "protocols.ports";
    static final String DISABLED_KEY = "protocols.disabled";
    /** System property: seconds to wait for the ReplayService. */
    static final String WAIT_PROPERTY = "deeptrace.replay.wait";
    static final long DEFAULT_WAIT_SECONDS = 20;

    private final Distribution distribution;
    private final Map<String, String> env;
    private final PrintStream err;
    private final boolean debug;

    ReplayRun(Distribution distribution, Map<String, String> env, PrintStream err, boolean debug) {
        this.distribution = distribution;
        this.env = env;
        this.err = err;
        this.debug = debug;
    }

    ReplayReport run(ReplayOptions options) throws CliException {
        Timer timer = new Timer();
        Map<String, String> karaf = karafProperties();
        List<Path> jars = distribution.bundleJars();
        List<ConfigFiles.Config> configs = withProtocols(withAlgorithm(
                ConfigFiles.readAll(distribution.etc(), ConfigFiles.placeholders(karaf, env)), options.algorithm()),
                options.protocolPorts(), options.disabledProtocols());
        configureLogging(karaf);

        try (EmbeddedFramework framework = new EmbeddedFramework(frameworkProperties(karaf))) {
            timer.mark("framework started");
            List<Bundle> bundles = framework.install(jars);
            timer.mark(bundles.size() + " bundles installed and resolved");
            framework.installFailures().forEach((jar, reason) -> warn(jar + ": not installed: " + reason));
            if (!framework.configure(bundles, configs) && !configs.isEmpty()) {
                warn("no ConfigAdmin among the replay bundles: etc/org.deeptrace.*.cfg not applied");
            }
            framework.startAll(bundles);
            timer.mark("bundles started");
            framework.startFailures().forEach((bundle, reason) ->
                    warn("bundle " + bundle.getSymbolicName() + " did not start: " + reason));

            long waitSeconds = Long.getLong(WAIT_PROPERTY, DEFAULT_WAIT_SECONDS);
            ReplayService service = framework.waitForService(ReplayService.class, waitSeconds * 1000);
            if (service == null) {
                List<String> why = ComponentDiagnostics.explain(framework.context(), framework.startFailures());
                throw CliException.failed("no " + ReplayService.class.getName() + " service appeared within "
                        + waitSeconds + " s (it is provided by the pipeline bundle, lib/replay/deeptrace-pipeline.jar)"
                        + (why.isEmpty() ? "" : System.lineSeparator() + String.join(System.lineSeparator(), why)));
            }
            timer.mark("replay service ready");
            ReplayReport report = replay(service, options);
            timer.mark("replay done");
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted");
        } finally {
            timer.mark("framework stopped");
            if (debug) {
                timer.print(err);
            }
        }
    }

    private static ReplayReport replay(ReplayService service, ReplayOptions options) throws CliException {
        ReplayRequest request = options.request();
        try {
            return service.replay(request);
        } catch (MalformedInputException e) {
            CliException failure = CliException.failed(e.getMessage(), e);
            throw options.lenient() ? failure
                    : failure.withHint("--lenient skips and counts malformed records instead of stopping");
        } catch (IllegalArgumentException e) {
            throw CliException.badArgument(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw CliException.failed(e.getFile() + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw CliException.failed(e.getFile() + ": permission denied", e);
        } catch (FileSystemException e) {
            throw CliException.failed(e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e), e);
        } catch (IOException e) {
            throw CliException.failed(String.valueOf(e.getMessage()), e);
        }
    }

    /** The configuration, with --algo (when given) as the pipeline's correlator. */
    static List<ConfigFiles.Config> withAlgorithm(List<ConfigFiles.Config> configs, String algorithm) {
        if (algorithm == null) {
            return configs;
        }
        List<ConfigFiles.Config> result = new ArrayList<>();
        boolean found = false;
        for (ConfigFiles.Config config : configs) {
            if (!config.isFactory() && config.pid().equals(PIPELINE_PID)) {
                Hashtable<String, Object> properties = new Hashtable<>(config.properties());
                properties.put(CORRELATOR_KEY, algorithm);
                config = new ConfigFiles.Config(config.pid(), null, properties);
                found = true;
            }
            result.add(config);
        }
        if (!found) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(CORRELATOR_KEY, algorithm);
            result.add(new ConfigFiles.Config(PIPELINE_PID, null, properties));
        }
        return result;
    }

    /**
     * The configuration with --protocol-port entries in the pipeline's {@code protocols.ports} (replacing the file's
     * entries for the same port and transport) and --disable-protocol names added to {@code protocols.disabled}.
     */
    static List<ConfigFiles.Config> withProtocols(List<ConfigFiles.Config> configs, List<String> ports,
            List<String> disabled) {
        if (ports.isEmpty() && disabled.isEmpty()) {
            return configs;
        }
        List<ConfigFiles.Config> result = new ArrayList<>();
        boolean found = false;
        for (ConfigFiles.Config config : configs) {
            if (!config.isFactory() && config.pid().equals(PIPELINE_PID)) {
                config = new ConfigFiles.Config(config.pid(), null, protocolValues(config.properties(), ports, disabled));
                found = true;
            }
            result.add(config);
        }
        if (!found) {
            result.add(new ConfigFiles.Config(PIPELINE_PID, null, protocolValues(new Hashtable<>(), ports, disabled)));
        }
        return result;
    }

    private static Hashtable<String, Object> protocolValues(Map<String, Object> file, List<String> ports,
            List<String> disabled) {
        Hashtable<String, Object> properties = new Hashtable<>(file);
        List<String> pins = new ArrayList<>();
        java.util.Set<String> overridden = new java.util.HashSet<>();
        for (String p : ports) {
            overridden.add(portKey(p));
        }
        for (String entry : String.valueOf(file.getOrDefault(PORTS_KEY, "")).split(",")) {
            if (!entry.isBlank() && !overridden.contains(portKey(entry))) {
                pins.add(entry.strip());
            }
        }
        pins.addAll(ports);
        properties.put(PORTS_KEY, String.join(", ", pins));
        List<String> names = new ArrayList<>();
        for (String name : String.valueOf(file.getOrDefault(DISABLED_KEY, "")).split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        names.addAll(disabled);
        properties.put(DISABLED_KEY, String.join(", ", names));
        return properties;
    }

    /** {@code 9090}, {@code 9090/tcp} and {@code 9090 /TCP = x} are one port: {@code 9090/tcp}. */
    private static String portKey(String entry) {
        String left = entry.split("=", 2)[0].replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        return left.contains("/") ? left : left + "/tcp";
    }

    /** What ${karaf.*} means here: the distribution the launcher belongs to. */
    private Map<String, String> karafProperties() {
        Map<String, String> karaf = new LinkedHashMap<>();
        karaf.put("karaf.home", distribution.home().toString());
        karaf.put("karaf.base", distribution.home().toString());
        karaf.put("karaf.data", distribution.data().toString());
        karaf.put("karaf.etc", distribution.etc().toString());
        return karaf;
    }

    private Map<String, String> frameworkProperties(Map<String, String> karaf) throws CliException {
        Map<String, String> properties = new HashMap<>(karaf);
        properties.put("org.osgi.framework.system.packages.extra",
                SystemPackages.extraExports(ReplayRun.class.getClassLoader()));
        // Felix and SCR print through their own loggers when no LogService exists: errors only, unless debugging
        properties.put("felix.log.level", debug ? "2" : "1");
        properties.put("ds.loglevel", debug ? "info" : "warn");
        return properties;
    }

    /** slf4j-simple, the replay's SLF4J binding, reads system properties: WARN and above, on stderr. */
    private void configureLogging(Map<String, String> karaf) {
        karaf.forEach(System::setProperty);
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", debug ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private void warn(String message) {
        err.println("deeptrace replay: warning: " + message);
    }

    /** Start-up timings, printed with DEEPTRACE_DEBUG=1. */
    private static final class Timer {
        private final long start = System.nanoTime();
        private final Map<String, Long> marks = new LinkedHashMap<>();

        void mark(String what) {
            marks.put(what, System.nanoTime());
        }

        void print(PrintStream out) {
            ProcessHandle.current().info().startInstant().ifPresent(jvmStart -> out.printf(
                    "deeptrace replay: launcher reached after %d ms of JVM life%n",
                    java.time.Duration.between(jvmStart, java.time.Instant.now()).toMillis()
                            - (System.nanoTime() - start) / 1_000_000));
            long previous = start;
            for (Map.Entry<String, Long> mark : marks.entrySet()) {
                out.printf("deeptrace replay: %-40s +%5d ms  (%d ms)%n", mark.getKey(),
                        (mark.getValue() - previous) / 1_000_000, (mark.getValue() - start) / 1_000_000);
                previous = mark.getValue();
            }
        }
    }
}
