package org.deeptrace.capture.ebpf.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import org.deeptrace.api.capture.CaptureSink;
import org.deeptrace.api.capture.CaptureSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live eBPF capture as a {@link CaptureSource}. It activates everywhere: without targets it stays idle, and
 * where the host lacks something (root, BTF, libbpf, tracefs) {@link #start} logs exactly what and the counters
 * say {@code unavailable=1}; start then throws with that message, which the pipeline logs and counts while the
 * rest of the platform keeps running.
 */
@Component(service = CaptureSource.class, configurationPid = "org.deeptrace.capture")
@Designate(ocd = CaptureConfig.class)
public class EbpfCaptureSource implements CaptureSource {

    private static final Logger LOG = LoggerFactory.getLogger(EbpfCaptureSource.class);
    /**
     * Environment variable: {@code all} makes a configuration without targets trace every process except the
     * agent ({@code bin/deeptrace run} sets it; {@code bin/deeptrace start} does not, so a background container
     * stays idle until targets are configured).
     */
    static final String DEFAULT_TARGETS_ENV = "DEEPTRACE_CAPTURE_DEFAULT";

    private volatile CaptureSettings settings;
    private volatile String configError;
    private volatile List<String> unavailable = List.of();
    private CaptureSink sink;
    private LiveCapture capture;
    private Map<String, Long> lastCounters = Map.of();

    @Activate
    void activate(CaptureConfig config) {
        apply(config);
    }

    @Modified
    synchronized void modified(CaptureConfig config) {
        apply(config);
        if (sink == null) {
            return;
        }
        CaptureSettings next = settings;
        if (capture != null && next != null && next.hasTargets() && !capture.needsRestart(next)) {
            try {
                capture.update(next);
                return;
            } catch (RuntimeException e) {
                LOG.error("eBPF capture: updating the targets failed, restarting: {}", e.getMessage());
            }
        }
        CaptureSink s = sink;
        stop();
        try {
            start(s);
        } catch (CaptureUnavailableException | IllegalArgumentException e) {
            sink = s; // logged by start; a later configuration change tries again
        }
    }

    private void apply(CaptureConfig config) {
        try {
            settings = fromConfig(config, "all".equals(System.getenv(DEFAULT_TARGETS_ENV)));
            configError = null;
        } catch (IllegalArgumentException e) {
            settings = null;
            configError = e.getMessage();
            LOG.error("org.deeptrace.capture: {}; capture stays off", e.getMessage());
        }
    }

    /** @param allByDefault trace every process (but this one) when the configuration names no target */
    static CaptureSettings fromConfig(CaptureConfig c, boolean allByDefault) {
        List<String> probes = CaptureSettings.split(c.probes());
        Set<Integer> pids = CaptureSettings.parsePids(CaptureSettings.split(c.pids()));
        Set<String> comms = new LinkedHashSet<>(CaptureSettings.split(c.comms()));
        Set<String> cgroups = new LinkedHashSet<>(CaptureSettings.split(c.cgroups()));
        boolean all = c.all() || (allByDefault && pids.isEmpty() && comms.isEmpty() && cgroups.isEmpty());
        return new CaptureSettings(pids, comms, cgroups, all, c.payload__size(), c.ring__buffer__size(),
                probes.isEmpty() ? List.of(EventLayout.PROGRAMS) : probes,
                c.max__buffered__events(), c.poll__interval__ms(), c.tls());
    }

    @Override
    public String name() {
        return "ebpf";
    }

    @Override
    public synchronized void start(CaptureSink sink) throws CaptureUnavailableException {
        this.sink = sink;
        CaptureSettings s = settings;
        if (s == null) {
            return; // configError already logged
        }
        if (!s.hasTargets()) {
            LOG.info("eBPF capture idle: no targets (set pids, comms, cgroups or all in org.deeptrace.capture)");
            return;
        }
        try {
            capture = LiveCapture.start(s, sink);
            unavailable = List.of();
        } catch (CaptureUnavailableException e) {
            unavailable = e.missing();
            LOG.warn("eBPF capture unavailable, the rest of DeepTrace keeps running: {}", String.join("; ", e.missing()));
            throw e;
        } catch (IllegalArgumentException e) {
            configError = e.getMessage();
            LOG.error("org.deeptrace.capture: {}; capture stays off", e.getMessage());
            throw new IllegalArgumentException("org.deeptrace.capture: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (capture != null) {
            capture.close();
            lastCounters = capture.counters();
            capture = null;
        }
        sink = null;
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    /** What keeps the capture from running, in words; empty when it runs or is idle by configuration. */
    public List<String> problems() {
        return configError != null ? List.of(configError) : unavailable;
    }

    @Override
    public synchronized Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>(capture != null ? capture.counters() : lastCounters);
        m.put("running", capture != null ? 1L : 0L);
        m.put("unavailable", unavailable.isEmpty() ? 0L : 1L);
        m.put("config_error", configError == null ? 0L : 1L);
        return m;
    }

    Set<Integer> targetPids() {
        CaptureSettings s = settings;
        return s == null ? Set.of() : s.pids();
    }
}
