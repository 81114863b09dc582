package org.deeptrace.itest.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away cgroup v2 directory that a fixture's processes (servers and clients, and whatever they start)
 * run in: {@code bin/deeptrace capture --cgroup} follows them all, whatever their threads are called (the
 * kernel's comm is per thread: a JVM's network threads are not called "java"), and closing it ends every
 * process left in it.
 */
final class Cgroup implements AutoCloseable {
    final Path dir;

    private Cgroup(Path dir) {
        this.dir = dir;
    }

    static Cgroup create(String name) throws IOException {
        Path root = mountPoint();
        Path dir = root.resolve("deeptrace-live-" + name);
        if (Files.isDirectory(dir)) {
            new Cgroup(dir).close(); // left by an interrupted run
        }
        Files.createDirectory(dir);
        return new Cgroup(dir);
    }

    /** The cgroup2 mount (/sys/fs/cgroup on a pure v2 system, /sys/fs/cgroup/unified on a hybrid one). */
    static Path mountPoint() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[2].equals("cgroup2")) {
                return Path.of(f[1]);
            }
        }
        throw new AssertionError("no cgroup2 file system mounted (see /proc/mounts)");
    }

    /** {@code command}, started inside this cgroup (a shell moves itself in, then execs the command). */
    List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>(List.of("sh", "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
        out.addAll(command);
        return out;
    }

    /** Kills what is left in the cgroup and removes it. */
    @Override
    public void close() throws IOException {
        for (int round = 0; round < 50; round++) {
            List<String> pids = Files.readAllLines(dir.resolve("cgroup.procs"));
            if (pids.isEmpty()) {
                break;
            }
            boolean force = round >= 10; // SIGTERM for a second, then SIGKILL
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(p -> {
                    if (force) {
                        p.destroyForcibly();
                    } else {
                        p.destroy();
                    }
                });
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Files.deleteIfExists(dir);
    }
}
