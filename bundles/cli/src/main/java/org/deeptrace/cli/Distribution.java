package org.deeptrace.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The DeepTrace/J distribution the launcher belongs to: where its configuration, data directory and
 * bundles are.
 *
 * <pre>
 * HOME/etc/org.deeptrace.*.cfg   configuration, pushed into ConfigAdmin
 * HOME/data/                     what ${karaf.data} means in those files
 * HOME/lib/replay/bundles.list   the bundles to run, in install order (then any other *.jar there)
 * HOME/deploy/*.jar              hot-deployed plugins, installed after them
 * HOME/lib/cli/                  this launcher's class path
 * </pre>
 */
record Distribution(Path home) {

    /** System property that bin/deeptrace sets to the distribution's root. */
    static final String HOME_PROPERTY = "deeptrace.home";
    static final String BUNDLE_LIST = "bundles.list";

    Distribution {
        home = home.toAbsolutePath().normalize();
    }

    /** The distribution named by {@value #HOME_PROPERTY}, else the one this launcher's jar sits in. */
    static Distribution locate() throws CliException {
        String property = System.getProperty(HOME_PROPERTY);
        Path home;
        if (property != null && !property.isBlank()) {
            home = Path.of(property);
        } else {
            home = jarHome();
        }
        Distribution distribution = new Distribution(home);
        if (!Files.isDirectory(distribution.replayBundles())) {
            throw CliException.failed("cannot find the distribution's lib/replay directory under " + home
                    + " (set -D" + HOME_PROPERTY + "=DIR, or run bin/deeptrace)");
        }
        return distribution;
    }

    /** HOME from HOME/lib/cli/deeptrace-cli.jar. */
    private static Path jarHome() throws CliException {
        try {
            Path jar = Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = jar.getParent() == null ? null : jar.getParent().getParent();
            home = home == null ? null : home.getParent();
            if (home == null) {
                throw CliException.failed("cannot tell the distribution directory from " + jar);
            }
            return home;
        } catch (URISyntaxException | SecurityException e) {
            throw CliException.failed("cannot tell the distribution directory: " + e.getMessage(), e);
        }
    }

    Path etc() {
        return home.resolve("etc");
    }

    Path data() {
        return home.resolve("data");
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path replayBundles() {
        return home.resolve("lib").resolve("replay");
    }

    /**
     * The bundle jars to install, in order: those listed in lib/replay/bundles.list, any other jar of
     * lib/replay (by name), then the jars of deploy/ (by name).
     */
    List<Path> bundleJars() throws CliException {
        Set<Path> jars = new LinkedHashSet<>();
        Path dir = replayBundles();
        Path list = dir.resolve(BUNDLE_LIST);
        if (Files.isRegularFile(list)) {
            try {
                for (String line : Files.readAllLines(list)) {
                    String name = line.strip();
                    if (name.isEmpty() || name.startsWith("#")) {
                        continue;
                    }
                    Path jar = dir.resolve(name);
                    if (!Files.isRegularFile(jar)) {
                        throw CliException.failed(jar + " (listed in " + list + "): no such file");
                    }
                    jars.add(jar);
                }
            } catch (IOException e) {
                throw CliException.failed(list + ": " + e.getMessage(), e);
            }
        }
        jars.addAll(jarsIn(dir));
        jars.addAll(jarsIn(deploy()));
        return new ArrayList<>(jars);
    }

    private static List<Path> jarsIn(Path dir) throws CliException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw CliException.failed(dir + ": " + e.getMessage(), e);
        }
    }
}
