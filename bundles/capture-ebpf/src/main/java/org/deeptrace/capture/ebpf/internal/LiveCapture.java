package org.deeptrace.capture.ebpf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.deeptrace.api.capture.CaptureSink;
import org.deeptrace.api.model.CaptureRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running capture: the BPF object loaded and attached, a drain thread that empties the ring buffer into a
 * direct buffer every few milliseconds (the kernel side never wakes it) and decodes the batch into a bounded
 * queue, and a delivery thread that hands the records to the sink. Filters can change while it runs.
 */
final class LiveCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveCapture.class);
    static final String OBJECT_RESOURCE = "/bpf/deeptrace.bpf.o";
    static final int BATCH_BUFFER = 4 * 1024 * 1024;
    /** Records the delivery thread takes from the queue at once. */
    static final int DELIVERY_BATCH = 512;
    /**
     * How long the drain thread waits for room in the delivery queue before it drops a record: while it waits the
     * kernel ring buffer keeps filling, so a short stall of the sink (GC, a slow disk write) loses nothing.
     */
    static final long OFFER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final CaptureRecord END = new CaptureRecord(0, -1, 0, 0, "", 0, "", 
            org.deeptrace.api.model.Direction.INGRESS, org.deeptrace.api.model.Transport.TCP, "", "", -1, 0,
            ByteBuffer.allocate(0), false);

    private final CaptureSink sink;
    private final EventDecoder decoder = new EventDecoder();
    private final DeliveryQueue queue;
    private final ByteBuffer batch = ByteBuffer.allocateDirect(BATCH_BUFFER);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong queueDrops = new AtomicLong();
    private final AtomicLong sinkRefused = new AtomicLong();
    private final long[] nativeCounters = new long[EventLayout.CNT_MAX + 1];
    private final int pollIntervalMs;
    private final List<String> attached = new ArrayList<>();
    private final TlsProbes tls = new TlsProbes(() -> this.handle);
    private CaptureSettings settings;
    private long handle;
    private volatile boolean running;
    private Thread drainThread;
    private Thread deliveryThread;

    private LiveCapture(CaptureSettings settings, CaptureSink sink) {
        this.settings = settings;
        this.sink = sink;
        this.queue = new DeliveryQueue(settings.maxBufferedEvents(), DeliveryQueue.defaultByteBudget());
        this.pollIntervalMs = settings.pollIntervalMs();
    }

    /**
     * Loads, configures and attaches the programs and starts the threads.
     *
     * @throws CaptureUnavailableException naming everything that is missing (root, BTF, library, tracefs)
     */
    static LiveCapture start(CaptureSettings settings, CaptureSink sink) throws CaptureUnavailableException {
        List<String> missing = Prerequisites.missing();
        if (!missing.isEmpty()) {
            throw new CaptureUnavailableException(missing);
        }
        LiveCapture capture = new LiveCapture(settings, sink);
        try {
            capture.load();
        } catch (NativeException | IOException e) {
            capture.closeNative();
            throw new CaptureUnavailableException(List.of(e.getMessage()));
        }
        capture.startThreads();
        return capture;
    }

    private void load() throws IOException {
        NativeBridge.ensureTracefs();
        byte[] object;
        try (InputStream in = LiveCapture.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new IOException("the BPF object " + OBJECT_RESOURCE + " is missing from the bundle");
            }
            object = in.readAllBytes();
        }
        handle = NativeBridge.open(object, settings.ringBufferBytes());
        applyFilters(null, settings);
        for (String program : settings.probes()) {
            NativeBridge.attach(handle, program);
            attached.add(program);
        }
        if (settings.tls()) {
            tls.attachFor(settings);
        }
        LOG.info("eBPF capture attached {} programs{}; targets: {}", attached.size(),
                settings.tls() ? " and TLS uprobes on " + tls.libraries() : "", describeTargets(settings));
    }

    /** Changes targets and payload size in place; probes and buffer sizes need a restart. */
    synchronized void update(CaptureSettings next) {
        applyFilters(settings, next);
        settings = next;
        if (next.tls()) {
            tls.attachFor(next);
        }
        LOG.info("eBPF capture targets now: {}", describeTargets(next));
    }

    boolean needsRestart(CaptureSettings next) {
        return next.ringBufferBytes() != settings.ringBufferBytes() || !next.probes().equals(settings.probes())
                || next.maxBufferedEvents() != settings.maxBufferedEvents()
                || next.pollIntervalMs() != settings.pollIntervalMs() || next.tls() != settings.tls();
    }

    private void applyFilters(CaptureSettings old, CaptureSettings next) {
        Set<Integer> oldPids = old == null ? Set.of() : old.pids();
        Set<String> oldComms = old == null ? Set.of() : old.comms();
        Set<Long> oldCgroups = old == null ? Set.of() : cgroupIds(old.cgroups());
        Set<Long> nextCgroups = cgroupIds(next.cgroups());
        // add first, then widen the flags; narrow the flags, then remove: no moment traces too little
        for (int pid : next.pids()) {
            if (!oldPids.contains(pid)) {
                NativeBridge.filterPid(handle, pid, true);
            }
        }
        for (String comm : next.comms()) {
            if (!oldComms.contains(comm)) {
                NativeBridge.filterComm(handle, comm.getBytes(StandardCharsets.UTF_8), true);
            }
        }
        for (long id : nextCgroups) {
            if (!oldCgroups.contains(id)) {
                NativeBridge.filterCgroup(handle, id, true);
            }
        }
        int flags = (next.all() ? EventLayout.FILTER_ALL : 0)
                | (next.pids().isEmpty() ? 0 : EventLayout.FILTER_PID)
                | (next.comms().isEmpty() ? 0 : EventLayout.FILTER_COMM)
                | (nextCgroups.isEmpty() ? 0 : EventLayout.FILTER_CGROUP);
        NativeBridge.configure(handle, next.payloadSize(), (int) ProcessHandle.current().pid(), flags);
        for (int pid : oldPids) {
            if (!next.pids().contains(pid)) {
                NativeBridge.filterPid(handle, pid, false);
            }
        }
        for (String comm : oldComms) {
            if (!next.comms().contains(comm)) {
                NativeBridge.filterComm(handle, comm.getBytes(StandardCharsets.UTF_8), false);
            }
        }
        for (long id : oldCgroups) {
            if (!nextCgroups.contains(id)) {
                NativeBridge.filterCgroup(handle, id, false);
            }
        }
    }

    /** cgroup v2 ids are the inode numbers of the cgroup directories (what bpf_get_current_cgroup_id returns). */
    static Set<Long> cgroupIds(Set<String> paths) {
        Set<Long> ids = new HashSet<>();
        for (String p : paths) {
            Path dir = p.startsWith("/sys/fs/cgroup") ? Path.of(p) : Path.of("/sys/fs/cgroup", p);
            try {
                ids.add((Long) Files.getAttribute(dir, "unix:ino"));
            } catch (IOException | UnsupportedOperationException e) {
                throw new IllegalArgumentException("cgroups: " + dir + " is not a readable cgroup v2 directory: "
                        + e.getMessage());
            }
        }
        return ids;
    }

    private static String describeTargets(CaptureSettings s) {
        if (s.all()) {
            return "all processes except this one";
        }
        return "pids=" + s.pids() + " comms=" + s.comms() + " cgroups=" + s.cgroups();
    }

    private void startThreads() {
        running = true;
        drainThread = new Thread(this::drainLoop, "deeptrace-ebpf-drain");
        drainThread.setDaemon(true);
        deliveryThread = new Thread(this::deliveryLoop, "deeptrace-ebpf-delivery");
        deliveryThread.setDaemon(true);
        deliveryThread.start();
        drainThread.start();
    }

    private void drainLoop() {
        try {
            while (running) {
                if (drainOnce() == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollIntervalMs));
                }
            }
            while (drainOnce() > 0) {
                // what the kernel wrote before stop still reaches the sink
            }
        } catch (RuntimeException e) {
            LOG.error("eBPF capture drain failed; capture stops: {}", e.getMessage());
        } finally {
            putEnd();
        }
    }

    private int drainOnce() {
        int bytes;
        synchronized (this) {
            if (handle == 0) {
                return 0;
            }
            bytes = NativeBridge.poll(handle, batch);
        }
        if (bytes <= 0) {
            return 0;
        }
        decoder.decodeBatch(batch, bytes, r -> {
            // no waiting for a delivery thread that has stopped (a failed sink): it would never make room
            if (!queue.offer(r, deliveryThread.isAlive() ? OFFER_WAIT_NANOS : 0)) {
                queueDrops.incrementAndGet();
            }
        });
        return bytes;
    }

    private void putEnd() {
        try {
            queue.putMarker(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliveryLoop() {
        List<CaptureRecord> taken = new ArrayList<>(DELIVERY_BATCH);
        try {
            while (true) {
                queue.takeBatch(taken, DELIVERY_BATCH);
                long done = 0;
                long accepted = 0;
                try {
                    for (CaptureRecord r : taken) {
                        if (r == END) {
                            return;
                        }
                        done += DeliveryQueue.cost(r);
                        if (sink.accept(r)) {
                            accepted++;
                        } else {
                            sinkRefused.incrementAndGet();
                        }
                    }
                } finally {
                    delivered.addAndGet(accepted);
                    queue.release(done);
                    taken.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("eBPF capture sink failed; delivery stops: {}", e.toString());
        }
    }

    /** Counters by name; kernel ones are read from the per-CPU map. */
    synchronized Map<String, Long> counters() {
        if (handle != 0) {
            NativeBridge.counters(handle, nativeCounters);
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("events", nativeCounters[EventLayout.CNT_EVENTS]);
        m.put("bytes", nativeCounters[EventLayout.CNT_BYTES]);
        m.put("records", delivered.get());
        m.put("drops.kernel_ring_buffer", nativeCounters[EventLayout.CNT_RB_DROPS]);
        m.put("drops.kernel_map_full", nativeCounters[EventLayout.CNT_MAP_FULL]);
        m.put("drops.user_space", userDrops());
        m.put("drops.sink_refused", sinkRefused.get());
        m.put("skipped.non_socket", nativeCounters[EventLayout.CNT_NON_SOCKET]);
        m.put("errors.malformed", decoder.malformed());
        m.put("programs", (long) attached.size());
        m.put("tls_libraries", (long) tls.libraries().size());
        return m;
    }

    long userDrops() {
        return queueDrops.get() + nativeCounters[EventLayout.CNT_BRIDGE_DROPS];
    }

    /** Detaches (no record is emitted after this returns), delivers what was drained, frees everything. */
    @Override
    public void close() {
        running = false;
        joinQuietly(drainThread);
        counters(); // last kernel numbers, kept for status after close
        closeNative();
        joinQuietly(deliveryThread);
    }

    private synchronized void closeNative() {
        if (handle != 0) {
            NativeBridge.close(handle);
            handle = 0;
            LOG.info("eBPF capture detached {} programs", attached.size());
        }
    }

    private static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
