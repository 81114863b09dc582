package org.deeptrace.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An Apache Felix framework in this JVM, with its storage in a temporary directory that is deleted when the
 * framework is closed (or the JVM exits).
 *
 * <p>Start-up order: install every bundle, resolve them together, start ConfigAdmin, push the configuration,
 * then start the rest; so components activate once, with their configuration, instead of activating
 * unconfigured and restarting when it arrives.
 */
final class EmbeddedFramework implements AutoCloseable {

    static final String CONFIG_ADMIN_BSN = "org.apache.felix.configadmin";

    private final Path storage;
    private final Framework framework;
    private final Map<Path, String> installFailures = new LinkedHashMap<>();
    private final Map<Bundle, String> startFailures = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    /** Starts an empty framework with these properties (plus storage ones). */
    EmbeddedFramework(Map<String, String> properties) throws CliException {
        try {
            storage = Files.createTempDirectory("deeptrace-replay-");
        } catch (IOException e) {
            throw CliException.failed("cannot create the framework's temporary directory: " + e.getMessage(), e);
        }
        Map<String, String> config = new HashMap<>(properties);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(config);
        // Ctrl-C or System.exit: stop the bundles (they may hold files open) and delete the storage
        shutdownHook = new Thread(this::closeQuietly, "deeptrace-replay-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            framework.init();
            framework.start();
        } catch (BundleException e) {
            closeQuietly();
            throw CliException.failed("cannot start the OSGi framework: " + e.getMessage(), e);
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Installs the jars in order, without copying them (reference: URLs). A jar the framework refuses is
     * skipped and kept in {@link #installFailures}: as in the container, one broken plugin in deploy/ does not
     * stop the others.
     */
    List<Bundle> install(List<Path> jars) {
        List<Bundle> bundles = new ArrayList<>(jars.size());
        for (Path jar : jars) {
            try {
                bundles.add(context().installBundle("reference:" + jar.toUri()));
            } catch (BundleException | RuntimeException e) {
                installFailures.put(jar, e.getMessage());
            }
        }
        // One resolve for all: cheaper than one per start() and independent of the install order.
        framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
        return bundles;
    }

    /**
     * Starts ConfigAdmin (if installed) and pushes the configurations into it.
     *
     * @return false when no ConfigAdmin is installed, so nothing could be pushed
     */
    boolean configure(List<Bundle> bundles, List<ConfigFiles.Config> configs) throws CliException {
        Bundle configAdmin = bundles.stream()
                .filter(b -> CONFIG_ADMIN_BSN.equals(b.getSymbolicName()))
                .findFirst()
                .orElse(null);
        if (configAdmin == null) {
            return false;
        }
        start(configAdmin);
        ServiceReference<ConfigurationAdmin> ref = context().getServiceReference(ConfigurationAdmin.class);
        if (ref == null) {
            return false;
        }
        ConfigurationAdmin cm = context().getService(ref);
        try {
            for (ConfigFiles.Config config : configs) {
                // "?" binds the configuration to whichever bundle uses it first, as fileinstall does
                Configuration configuration = config.isFactory()
                        ? cm.getFactoryConfiguration(config.pid(), config.name(), "?")
                        : cm.getConfiguration(config.pid(), "?");
                configuration.update(config.properties());
            }
        } catch (IOException e) {
            throw CliException.failed("cannot store configuration in ConfigAdmin: " + e.getMessage(), e);
        } finally {
            context().ungetService(ref);
        }
        return true;
    }

    /** Starts every bundle that is not a fragment and not yet active; failures are kept for {@link #startFailures}. */
    void startAll(List<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            if (bundle.getState() != Bundle.ACTIVE && bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                start(bundle);
            }
        }
    }

    private void start(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            startFailures.put(bundle, e.getMessage());
        }
    }

    /** Jars that could not be installed, with the framework's reason. */
    Map<Path, String> installFailures() {
        return installFailures;
    }

    /** Bundles that would not start, with the framework's reason. */
    Map<Bundle, String> startFailures() {
        return startFailures;
    }

    /** Waits up to the timeout for a service of the type; null when none appeared. */
    <T> T waitForService(Class<T> type, long timeoutMillis) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        // Left open on purpose: closing it would unget the service the caller is about to use;
        // stopping the framework releases it.
        return tracker.waitForService(timeoutMillis);
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook does the same work
        }
    }

    private void closeQuietly() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(10));
        } catch (BundleException | RuntimeException e) {
            // stopping is best effort; the storage below goes either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(storage);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a finished replay
        }
    }
}
