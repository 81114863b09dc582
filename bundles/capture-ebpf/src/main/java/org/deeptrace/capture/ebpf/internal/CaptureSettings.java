package org.deeptrace.capture.ebpf.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to capture and how (config pid {@code org.deeptrace.capture}), validated.
 *
 * @param pids process ids to trace
 * @param comms process names (the kernel's 15-byte comm) to trace
 * @param cgroups cgroup v2 directories (absolute, or relative to /sys/fs/cgroup) whose processes to trace
 * @param all trace every process except the agent itself
 * @param payloadSize payload prefix captured per syscall, 0..{@link EventLayout#PAYLOAD_CAP}
 * * @param ringBufferBytes kernel ring buffer size, a power of two, at least one page
 * @param probes programs to attach (the original's names, e.g. {@code sys_enter_read})
 * @param maxBufferedEvents records decoded but not yet taken by the sink; beyond it they are dropped (counted)
 * @param pollIntervalMs how long the drain thread sleeps when the ring buffer is empty
 * @param tls attach uprobes to OpenSSL's SSL_read/SSL_write (plaintext of TLS connections)
 */
public record CaptureSettings(Set<Integer> pids, Set<String> comms, Set<String> cgroups, boolean all,
        int payloadSize, int ringBufferBytes, List<String> probes, int maxBufferedEvents, int pollIntervalMs,
        boolean tls) {

    public static final int DEFAULT_RING_BUFFER = 32 * 1024 * 1024; // absorbs the JIT warm-up at 20k records/s
    public static final int DEFAULT_MAX_BUFFERED = 65536;
    public static final int DEFAULT_POLL_MS = 5;

    public CaptureSettings {
        pids = Set.copyOf(pids);
        comms = Set.copyOf(comms);
        cgroups = Set.copyOf(cgroups);
        probes = List.copyOf(probes);
        if (payloadSize < 0 || payloadSize > EventLayout.PAYLOAD_CAP) {
            throw new IllegalArgumentException("payload_size must be between 0 and " + EventLayout.PAYLOAD_CAP
                    + ": " + payloadSize);
        }
        if (ringBufferBytes < 4096 || Integer.bitCount(ringBufferBytes) != 1) {
            throw new IllegalArgumentException("ring_buffer_size must be a power of two of at least 4096: "
                    + ringBufferBytes);
        }
        if (maxBufferedEvents < 1) {
            throw new IllegalArgumentException("max_buffered_events must be positive: " + maxBufferedEvents);
        }
        if (pollIntervalMs < 1 || pollIntervalMs > 1000) {
            throw new IllegalArgumentException("poll_interval_ms must be between 1 and 1000: " + pollIntervalMs);
        }
        List<String> known = Arrays.asList(EventLayout.PROGRAMS);
        for (String p : probes) {
            if (!known.contains(p)) {
                throw new IllegalArgumentException("unknown probe " + p + "; known: " + String.join(",", known));
            }
        }
        for (String c : comms) {
            if (c.isEmpty() || c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= EventLayout.COMM_LEN) {
                throw new IllegalArgumentException("comm must be 1 to 15 bytes (the kernel truncates names): " + c);
            }
        }
    }

    /** Defaults with the given targets: every probe, 4 KiB payload, 32 MiB ring buffer. */
    public static CaptureSettings targets(Set<Integer> pids, Set<String> comms, Set<String> cgroups, boolean all) {
        return new CaptureSettings(pids, comms, cgroups, all, EventLayout.DEFAULT_PAYLOAD, DEFAULT_RING_BUFFER,
                List.of(EventLayout.PROGRAMS), DEFAULT_MAX_BUFFERED, DEFAULT_POLL_MS, true);
    }

    public boolean hasTargets() {
        return all || !pids.isEmpty() || !comms.isEmpty() || !cgroups.isEmpty();
    }

    /** Splits a configuration list given as one string: commas and/or whitespace. */
    static List<String> split(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split("[,\\s]+")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    static Set<Integer> parsePids(List<String> values) {
        Set<Integer> pids = new LinkedHashSet<>();
        for (String v : values) {
            try {
                int pid = Integer.parseInt(v);
                if (pid <= 0) {
                    throw new NumberFormatException();
                }
                pids.add(pid);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pids: not a process id: " + v);
            }
        }
        return pids;
    }
}
