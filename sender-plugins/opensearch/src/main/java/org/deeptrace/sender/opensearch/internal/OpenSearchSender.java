package org.deeptrace.sender.opensearch.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.sender.SendResult;
import org.deeptrace.api.sender.SpanSender;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spans to an OpenSearch cluster (see {@link Shipper}). Configured by etc/org.deeptrace.sender.opensearch.cfg;
 * it offers itself to the pipeline as a {@link SpanSender} only when {@code enabled = true}, so an installed but
 * unconfigured sender takes no spans. A configuration change restarts it; spooled spans stay on disk across that.
 */
@Component(service = {}, immediate = true, configurationPid = OpenSearchSender.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OpenSearchSenderConfig.class)
public final class OpenSearchSender implements SpanSender {
    public static final String PID = "org.deeptrace.sender.opensearch";
    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchSender.class);

    private Shipper shipper;
    private ServiceRegistration<SpanSender> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        SenderSettings settings = SenderSettings.from(properties);
        if (!settings.enabled()) {
            LOG.info("OpenSearch sender installed but disabled (enabled = false in {}.cfg)", PID);
            return;
        }
        shipper = start(settings);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("deeptrace.sender", name());
        registration = context.registerService(SpanSender.class, this, props);
    }

    /** Builds and starts the engine; also what tests and the benchmark use outside OSGi. */
    static Shipper start(SenderSettings settings) {
        return start(settings, SenderClock.SYSTEM);
    }

    /** As {@link #start(SenderSettings)}, on the given clocks (tests play "a day later" with them). */
    static Shipper start(SenderSettings settings, SenderClock clock) {
        return withOwnClassLoader(() -> {
            try {
                Spool spool = new Spool(settings.spoolPath(), settings.spoolMaxBytes());
                BulkClient client = new BulkClient(settings.urls(), settings.username(), settings.password(),
                        settings.timeout().toMillis());
                Shipper s = new Shipper(settings, client, spool, clock);
                s.start();
                LOG.info("Sending spans to OpenSearch {} as {}YYYY.MM.DD (bulk {} spans / {} KB / {} ms, retention {} d,"
                        + " spool {} up to {} MB)", settings.urls(), settings.indexPrefix(), settings.bulkActions(),
                        settings.bulkBytes() / 1024, settings.flushInterval().toMillis(), settings.retentionDays(),
                        settings.spoolPath(), settings.spoolMaxBytes() >> 20);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(PID + ": spool_path = '" + settings.spoolPath() + "' cannot be used: "
                        + e.getMessage(), e);
            }
        });
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (shipper != null) {
            withOwnClassLoader(() -> {
                shipper.close();
                return null;
            });
            shipper = null;
        }
    }

    @Override
    public String name() {
        return "opensearch";
    }

    /** Always SUCCESS: a span is indexed, spooled, or counted as dropped here — never handed back. */
    @Override
    public SendResult send(List<Span> spans) {
        Shipper s = shipper;
        if (s != null) {
            withOwnClassLoader(() -> {
                s.add(spans);
                return null;
            });
        }
        return SendResult.SUCCESS;
    }

    @Override
    public SendResult flush() {
        Shipper s = shipper;
        if (s != null) {
            withOwnClassLoader(() -> {
                s.flush();
                return null;
            });
        }
        return SendResult.SUCCESS;
    }

    /** The sender's counters: sent, retried, spooled, spool bytes, dropped (by reason), ... */
    @Override
    public Map<String, Long> counters() {
        Shipper s = shipper;
        return s == null ? Map.of() : s.counters();
    }

    /**
     * The embedded client looks up JSON providers and HTTP pieces through the thread's context class loader; in
     * OSGi that must be this bundle's.
     */
    private static <T> T withOwnClassLoader(Supplier<T> body) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(OpenSearchSender.class.getClassLoader());
        try {
            return body.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
