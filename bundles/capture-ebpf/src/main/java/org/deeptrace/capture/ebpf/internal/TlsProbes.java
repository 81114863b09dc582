package org.deeptrace.capture.ebpf.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uprobes on OpenSSL's SSL_read/SSL_write (and their _ex variants) in each libssl the targets use: found in
 * /proc/PID/maps for target pids, in the system library directories for comm/cgroup/all targets. A uprobe
 * fires in every process mapping that file; the kernel-side filter keeps only the targets.
 */
final class TlsProbes {

    private static final Logger LOG = LoggerFactory.getLogger(TlsProbes.class);
    static final String[][] PROBES = {
        {"uprobe_ssl_read", "SSL_read"}, {"uprobe_ssl_read_ex", "SSL_read_ex"},
        {"uprobe_ssl_write", "SSL_write"}, {"uprobe_ssl_write_ex", "SSL_write_ex"}};
    static final String RETURN_PROBE = "uretprobe_ssl";
    private static final List<Path> SYSTEM_DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"));

    private final LongSupplier handle;
    /** Real paths (inode identity) already probed. */
    private final Set<Path> probed = new LinkedHashSet<>();

    TlsProbes(LongSupplier handle) {
        this.handle = handle;
    }

    List<Path> libraries() {
        return new ArrayList<>(probed);
    }

    /** Probes every libssl of the targets not probed yet; failures are logged, never fatal. */
    void attachFor(CaptureSettings s) {
        Set<Path> found = new LinkedHashSet<>();
        for (int pid : s.pids()) {
            found.addAll(mappedLibssl(pid));
        }
        if (s.all() || !s.comms().isEmpty() || !s.cgroups().isEmpty()) {
            found.addAll(systemLibssl());
        }
        for (Path lib : found) {
            Path real;
            try {
                real = lib.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (probed.add(real)) {
                attach(real);
            }
        }
    }

    private void attach(Path lib) {
        int ok = 0;
        for (String[] p : PROBES) {
            try {
                NativeBridge.attachUprobe(handle.getAsLong(), p[0], lib.toString(), p[1], false);
                NativeBridge.attachUprobe(handle.getAsLong(), RETURN_PROBE, lib.toString(), p[1], true);
                ok++;
            } catch (NativeException e) {
                // OpenSSL before 1.1.1 has no _ex variants: the plain ones suffice
                LOG.debug("TLS probe {} on {} not attached: {}", p[1], lib, e.getMessage());
            }
        }
        if (ok == 0) {
            LOG.warn("TLS: no SSL_read/SSL_write probe could be attached to {}", lib);
        } else {
            LOG.info("TLS: probed {} functions of {}", ok, lib);
        }
    }

    /** libssl files mapped by a process, through its root (works across mount namespaces). */
    static List<Path> mappedLibssl(int pid) {
        List<Path> libs = new ArrayList<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "maps"))) {
            lines.map(l -> l.split("\\s+", 6)).filter(f -> f.length == 6 && f[5].contains("/libssl.so"))
                    .map(f -> f[5].trim()).distinct()
                    .forEach(path -> libs.add(Path.of("/proc", String.valueOf(pid), "root", path)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read the maps of pid {}: {}", pid, e.getMessage());
        }
        return libs;
    }

    static List<Path> systemLibssl() {
        List<Path> libs = new ArrayList<>();
        for (Path dir : SYSTEM_DIRS) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().matches("libssl\\.so\\.[0-9.]+")).forEach(libs::add);
            } catch (IOException e) {
                LOG.debug("cannot list {}: {}", dir, e.getMessage());
            }
        }
        return libs;
    }
}
