package org.deeptrace.pipeline.internal.osgi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.capture.CaptureSource;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;
import org.deeptrace.api.sender.SpanSender;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.MessageOutput;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.pipeline.internal.core.ProtocolRules;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running pipeline of the container: every registered capture source feeds one bounded queue, one
 * worker thread parses and correlates, and every registered sender gets the spans through its own queue.
 * Configuration changes (correlator, window) apply without a restart.
 */
@Component(service = {DeepTraceRuntime.class, LivePipeline.class}, configurationPid = LivePipeline.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = PipelineConfig.class)
public final class LivePipeline implements DeepTraceRuntime {
    static final String PID = "org.deeptrace.pipeline";
    private static final Logger LOG = LoggerFactory.getLogger(LivePipeline.class);
    private static final long TICK_NS = 100 * PipelineSettings.MS;

    private final Counters counters = new Counters();
    private final List<CaptureSource> sources = new CopyOnWriteArrayList<>();
    private final List<SenderDispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private final List<Registered<SpanSender>> senders = new CopyOnWriteArrayList<>();

    @Reference
    private PluginRegistry registry;

    private volatile Settings settings;
    private volatile boolean active;
    private BlockingQueue<CaptureRecord> queue;
    private Thread worker;

    /** The configuration as validated values. */
    record Settings(String correlator, PipelineSettings pipeline, int queueCapacity, int senderQueueCapacity,
            ProtocolRules protocols) {
    }

    @Activate
    void activate(Map<String, Object> properties) {
        settings = read(properties, defaults());
        queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        active = true;
        for (Registered<SpanSender> s : senders) {
            dispatchers.add(new SenderDispatcher(s.service(), settings.senderQueueCapacity(), counters));
        }
        worker = new Thread(this::work, "deeptrace-pipeline");
        worker.setDaemon(true);
        worker.start();
        for (CaptureSource s : sources) {
            startSource(s);
        }
        LOG.info("Pipeline started on host {} with correlator {}", settings.pipeline().host(), settings.correlator());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        settings = read(properties, settings);
        // Plugins are installed by now (at activation during boot they may still be arriving): check the names.
        for (String problem : settings.protocols().problems(registry.parsers())) {
            LOG.warn("{}", problem);
        }
        LOG.info("Pipeline configuration applied: correlator {}, window {} ms, grace {} ms, protocols disabled {},"
                + " ports pinned {}", settings.correlator(), settings.pipeline().windowNs() / PipelineSettings.MS,
                settings.pipeline().graceNs() / PipelineSettings.MS, settings.protocols().disabled(),
                settings.protocols().pins().values().stream().map(ProtocolRules.Pin::entry).sorted().toList());
    }

    @Deactivate
    void deactivate() {
        active = false;
        for (CaptureSource s : sources) {
            stopSource(s);
        }
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SenderDispatcher d : dispatchers) {
            d.stop();
        }
        dispatchers.clear();
    }

    // ---- capture sources and senders come and go

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(CaptureSource source) {
        sources.add(source);
        if (active) {
            startSource(source);
        }
    }

    void removeSource(CaptureSource source) {
        sources.remove(source);
        if (active) {
            stopSource(source);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSender(SpanSender sender, ServiceReference<SpanSender> ref) {
        senders.add(Registered.of(sender, sender.name(), ref));
        if (active) {
            dispatchers.add(new SenderDispatcher(sender, settings.senderQueueCapacity(), counters));
        }
    }

    void removeSender(SpanSender sender) {
        senders.removeIf(r -> r.service() == sender);
        for (SenderDispatcher d : dispatchers) {
            if (d.sender() == sender) {
                dispatchers.remove(d);
                d.stop();
            }
        }
    }

    // ---- DeepTraceRuntime

    @Override
    public PipelineStatus status() {
        Settings s = settings;
        List<String> names = new ArrayList<>();
        for (CaptureSource source : sources) {
            names.add(source.name());
        }
        Map<String, Long> all = counters.snapshot();
        for (CaptureSource source : sources) {
            source.counters().forEach((k, v) -> all.put("source." + source.name() + "." + k, v));
        }
        for (Registered<SpanSender> sender : senders) {
            sender.service().counters().forEach((k, v) -> all.put("sender." + sender.service().name() + "." + k, v));
        }
        all.put("queue.size", (long) (queue == null ? 0 : queue.size()));
        return new PipelineStatus(s.pipeline().host(), s.correlator(), registry.correlator(s.correlator()) != null,
                names, all);
    }

    @Override
    public List<PluginInfo> protocols() {
        return registry.protocolInfo();
    }

    @Override
    public List<PluginInfo> correlators() {
        return registry.correlatorInfo(settings.correlator());
    }

    @Override
    public List<PluginInfo> senders() {
        List<PluginInfo> out = new ArrayList<>();
        for (Registered<SpanSender> r : senders) {
            out.add(new PluginInfo(r.name(), r.bundle(), r.version(), active));
        }
        return out;
    }

    /** Hands spans to every active sender (replay with publish). */
    void publish(List<Span> spans) {
        for (SenderDispatcher d : dispatchers) {
            d.offer(spans);
        }
    }

    /** Waits (bounded) until the senders have taken what was published. */
    void drainSenders(long timeoutMs) {
        for (SenderDispatcher d : dispatchers) {
            d.drain(timeoutMs);
        }
    }

    Settings settings() {
        return settings;
    }

    // ---- the worker

    private void startSource(CaptureSource source) {
        try {
            source.start(record -> {
                if (queue.offer(record)) {
                    return true;
                }
                counters.increment("drops.queue_full");
                return false;
            });
            LOG.info("Capture source {} started", source.name());
        } catch (Exception e) {
            counters.increment("sources.failed_to_start");
            LOG.error("Capture source {} could not start: {}", source.name(), e.getMessage());
        }
    }

    private void stopSource(CaptureSource source) {
        try {
            source.stop();
        } catch (RuntimeException e) {
            LOG.warn("Capture source {} failed to stop cleanly", source.name(), e);
        }
    }

    private void work() {
        Pipeline pipeline = new Pipeline(registry, () -> registry.correlator(settings.correlator()),
                settings.pipeline(), counters, MessageOutput.NONE, this::publish);
        long lastRecordTs = Long.MIN_VALUE;
        long lastRecordWall = System.nanoTime();
        long lastTick = System.nanoTime();
        PipelineSettings applied = settings.pipeline();
        ProtocolRules appliedRules = settings.protocols();
        pipeline.setProtocolRules(appliedRules);
        while (active) {
            try {
                CaptureRecord r = queue.poll(50, TimeUnit.MILLISECONDS);
                if (r != null) {
                    pipeline.accept(r);
                    lastRecordTs = Math.max(lastRecordTs, r.tsNs());
                    lastRecordWall = System.nanoTime();
                }
                long now = System.nanoTime();
                if (now - lastTick >= TICK_NS) {
                    lastTick = now;
                    if (applied != settings.pipeline()) {
                        applied = settings.pipeline();
                        pipeline.setWindow(applied.windowNs(), applied.graceNs());
                    }
                    if (appliedRules != settings.protocols()) {
                        appliedRules = settings.protocols();
                        pipeline.setProtocolRules(appliedRules);
                    }
                    if (lastRecordTs != Long.MIN_VALUE) {
                        // Capture timestamps and System.nanoTime share CLOCK_MONOTONIC: extrapolate while quiet.
                        pipeline.tick(lastRecordTs + (now - lastRecordWall));
                    }
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                counters.increment("pipeline.errors");
                LOG.error("Pipeline error; the record is skipped", e);
            }
        }
        pipeline.finish();
    }

    // ---- configuration

    private static Settings defaults() {
        return new Settings("fifo", PipelineSettings.defaults(localHostName()), 65536, 65536, ProtocolRules.NONE);
    }

    static Settings read(Map<String, Object> properties, Settings fallback) {
        ConfigValues c = new ConfigValues(properties, PID);
        try {
            PipelineSettings p = fallback.pipeline();
            String host = c.string("host", "");
            PipelineSettings pipeline = new PipelineSettings(
                    host.isEmpty() ? localHostName() : host,
                    c.positiveLong("window.ms", p.windowNs() / PipelineSettings.MS) * PipelineSettings.MS,
                    c.nonNegativeLong("grace.ms", p.graceNs() / PipelineSettings.MS) * PipelineSettings.MS,
                    c.nonNegativeLong("reorder.ms", p.reorderNs() / PipelineSettings.MS) * PipelineSettings.MS,
                    p.idleNs(),
                    c.fraction("min.confidence", p.minConfidence()));
            String correlator = c.string("correlator", fallback.correlator());
            if (correlator.isEmpty()) {
                throw new IllegalArgumentException(properties.getOrDefault("felix.fileinstall.filename", PID)
                        + ": correlator must name a correlator plugin");
            }
            return new Settings(correlator, pipeline,
                    (int) c.positiveLong("queue.capacity", fallback.queueCapacity()),
                    (int) c.positiveLong("sender.queue.capacity", fallback.senderQueueCapacity()),
                    ProtocolRulesConfig.read(c));
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration not applied, the previous values stay in force: {}", e.getMessage());
            return fallback;
        }
    }

    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (Exception e) {
            // not Linux, or /proc unavailable: fall through
        }
        return "localhost";
    }
}
