package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Where things are (set by the pom's failsafe configuration) and what the live tests need from the machine. */
final class LiveEnv {
    /** The distribution whose bin/deeptrace captures and replays. */
    static final Path HOME = Path.of(System.getProperty("deeptrace.home", "../../assembly/target/deeptrace"))
            .toAbsolutePath().normalize();
    /** The source tree: record scripts, fixture programs, golden records of the plugins. */
    static final Path ROOT = Path.of(System.getProperty("deeptrace.root", "../..")).toAbsolutePath().normalize();
    /** This module's scratch directory (target/live). */
    static final Path WORK = Path.of(System.getProperty("deeptrace.work", "target/live")).toAbsolutePath()
            .normalize();

    private LiveEnv() {
    }

    /**
     * Skips the calling test class, saying why, when live capture cannot work here: not root, or no kernel BTF.
     * A missing distribution is a failure (the reactor builds it before this module).
     */
    static void assumeLiveCapturePossible() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("not root (eBPF capture needs root; CI runs as root)");
        }
        if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
            missing.add("no kernel BTF (/sys/kernel/btf/vmlinux)");
        }
        Assumptions.assumeTrue(missing.isEmpty(),
                () -> "live protocol capture skipped: " + String.join("; ", missing));
        if (!Files.isExecutable(HOME.resolve("bin/deeptrace"))) {
            fail("no distribution at " + HOME + " (build assembly first, or set -Ddeeptrace.home)");
        }
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The absolute path of a program on the PATH or in the usual system directories; fails naming the package. */
    static String require(String program, String debianPackage) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program).toString();
            }
        }
        fail(program + " not found: apt-get install -y " + debianPackage + " (.ci/run installs it)");
        return program;
    }

    /** Whether the system's /usr/bin/python3 (which the record scripts use) can import {@code module}. */
    static boolean hasPythonModule(String module) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import " + module).redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A plugin's source directory, e.g. {@code plugin("redis")}. */
    static Path plugin(String name) {
        return ROOT.resolve("protocol-plugins").resolve(name);
    }
}
