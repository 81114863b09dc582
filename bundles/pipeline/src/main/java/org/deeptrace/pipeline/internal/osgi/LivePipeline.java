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
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
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
 * Configuration changes apply without a restart, except the host and the queue capacities (see
 * etc/org.deeptrace.pipeline.cfg): the correlator, window and grace, the reorder wait, and inference
 * ({@code min.confidence}, {@code protocols.disabled}, {@code protocols.ports}) for new connections and those still
 * without a protocol. Pins and disabled names no installed plugin satisfies are warned about at boot, on a
 * configuration change and when plugins come and go, and counted in the status ({@code protocols.pins_unresolved}).
 */
@Component(service = {DeepTraceRuntime.class, LivePipeline.class}, configurationPid = LivePipeline.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = PipelineConfig.class)
public final class LivePipeline implements DeepTraceRuntime {
    static final String PID = "org.deeptrace.pipeline";
    private static final Logger LOG = LoggerFactory.getLogger(LivePipeline.class);
    private static final long TICK_NS = 100 * PipelineSettings.MS;
    /** Longest wait for Karaf's boot features before pins are checked anyway. */
    private static final long BOOT_WAIT_NS = 120_000 * PipelineSettings.MS;
    static final String PINS_UNRESOLVED = "protocols.pins_unresolved";

    private final Counters counters = new Counters();
    private final List<CaptureSource> sources = new CopyOnWriteArrayList<>();
    private final List<SenderDispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private final List<Registered<SpanSender>> senders = new CopyOnWriteArrayList<>();

    @Reference
    private PluginRegistry registry;

    private final ProtocolRulesWatch rulesWatch = new ProtocolRulesWatch(new ProtocolRulesWatch.Report() {
        @Override
        public void warn(String message) {
            LOG.warn("{}", message);
        }

        @Override
        public void resolved(String message) {
            LOG.info("{}", message);
        }
    });

    private volatile Settings settings;
    /** The host the running pipeline writes into spans (a changed {@code host} applies at the next start). */
    private volatile String runningHost;
    private volatile boolean active;
    private BundleContext bundleContext;
    private long activatedNs;
    private boolean bootFinished;
    private BlockingQueue<CaptureRecord> queue;
    private Thread worker;

    /** The configuration as validated values. */
    record Settings(String correlator, PipelineSettings pipeline, int queueCapacity, int senderQueueCapacity,
            ProtocolRules protocols) {
    }

    /** For Declarative Services. */
    public LivePipeline() {
    }

    /** For tests: a pipeline over {@code registry}, outside a framework. */
    LivePipeline(PluginRegistry registry) {
        this.registry = registry;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        bundleContext = context;
        activatedNs = System.nanoTime();
        settings = read(properties, defaults());
        runningHost = settings.pipeline().host();
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
        Settings previous = settings;
        Settings next = read(properties, previous);
        if (next == previous) {
            return; // rejected, and said why
        }
        settings = next;
        PipelineSettings p = next.pipeline();
        LOG.info("Pipeline configuration applied: correlator {}, window {} ms, grace {} ms, reorder {} ms,"
                + " min.confidence {}, protocols disabled {}, ports pinned {}", next.correlator(),
                p.windowNs() / PipelineSettings.MS, p.graceNs() / PipelineSettings.MS,
                p.reorderNs() / PipelineSettings.MS, p.minConfidence(), next.protocols().disabled(),
                next.protocols().pins().values().stream().map(ProtocolRules.Pin::entry).sorted().toList());
        for (String key : restartOnlyChanges(previous, next, runningHost,
                queue.size() + queue.remainingCapacity())) {
            LOG.warn("{}: {} changed; it applies when the pipeline starts again (restart the bundle"
                    + " org.deeptrace.pipeline or the container)", next.protocols().source(), key);
        }
    }

    /** Keys whose new values the running pipeline cannot take: they differ from what it runs with. */
    static List<String> restartOnlyChanges(Settings previous, Settings next, String runningHost,
            int runningQueueCapacity) {
        List<String> keys = new ArrayList<>();
        if (!next.pipeline().host().equals(runningHost)) {
            keys.add("host (live spans keep host " + runningHost + "; replays use the new one)");
        }
        if (next.queueCapacity() != runningQueueCapacity) {
            keys.add("queue.capacity (the queue keeps " + runningQueueCapacity + ")");
        }
        if (next.senderQueueCapacity() != previous.senderQueueCapacity()) {
            keys.add("sender.queue.capacity (senders registered from now on get the new capacity)");
        }
        return keys;
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
        List<ProtocolRules.Pin> unresolved = s.protocols().unresolvedPins(registry.parsers());
        if (s.protocols().hasPins()) {
            all.put(PINS_UNRESOLVED, (long) unresolved.size()); // 0 says every pin is in force
        }
        for (ProtocolRules.Pin pin : unresolved) {
            all.put(PINS_UNRESOLVED + "." + pin.port() + "/" + pin.l4().name().toLowerCase(java.util.Locale.ROOT)
                    + "=" + pin.protocol(), 1L);
        }
        return new PipelineStatus(runningHost, s.correlator(), registry.correlator(s.correlator()) != null,
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

    /**
     * Checks the protocol rules in force against the installed plugins now (a replay is about to use them): what was
     * not warned about yet is warned, once, whoever checks first.
     */
    void checkProtocolRules(ProtocolRules rules) {
        rulesWatch.check(rules, registry.parsers());
    }

    /** The problems warned about and not resolved since (tests). */
    List<ProtocolRules.Problem> outstandingRuleProblems() {
        return rulesWatch.outstanding();
    }

    /**
     * Whether the container has finished installing its boot features: in Karaf, once BootFinished is registered
     * (looked up by name: this bundle does not depend on Karaf); outside Karaf (the replay launcher), at once.
     */
    private boolean bootFinished() {
        if (!bootFinished) {
            try {
                bootFinished = bundleContext == null
                        || System.nanoTime() - activatedNs > BOOT_WAIT_NS
                        || bundleContext.getServiceReferences((String) null,
                                "(objectClass=org.apache.karaf.features.FeaturesService)") == null
                        || bundleContext.getServiceReferences((String) null,
                                "(objectClass=org.apache.karaf.features.BootFinished)") != null;
            } catch (InvalidSyntaxException | IllegalStateException e) {
                bootFinished = true;
            }
        }
        return bootFinished;
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
        rulesWatch.observe(appliedRules, registry.parsers(), System.nanoTime());
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
                        pipeline.apply(applied);
                    }
                    if (appliedRules != settings.protocols()) {
                        appliedRules = settings.protocols();
                        pipeline.setProtocolRules(appliedRules);
                    }
                    rulesWatch.observe(appliedRules, registry.parsers(), now);
                    rulesWatch.checkIfDue(now, bootFinished());
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
