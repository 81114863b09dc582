package org.deeptrace.sender.opensearch.internal.query;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.deeptrace.sender.opensearch.internal.OpenSearchSender;
import org.deeptrace.sender.opensearch.internal.SenderSettings;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenSearch query backend: the {@link SpanStore} the REST API and the shell use when the spans live in a
 * cluster (see {@link ClusterSpanStore}). Configured by the sender's file, etc/org.deeptrace.sender.opensearch.cfg
 * (the same urls, credentials, index_prefix, timeout_ms); it registers only while {@code query_enabled = true},
 * with {@code service.ranking = 200}, above the embedded Lucene store (100), so it answers when both are there.
 * Independent of the sender's {@code enabled}: a host may query a cluster other agents fill.
 */
@Component(service = {}, immediate = true, configurationPid = OpenSearchSender.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class OpenSearchSpanStore implements SpanStore {
    static final int RANKING = 200;
    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchSpanStore.class);

    private ClusterSpanStore store;
    private ServiceRegistration<SpanStore> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        SenderSettings settings = SenderSettings.from(properties);
        if (!settings.queryEnabled()) {
            LOG.debug("OpenSearch query backend off (query_enabled = false in {}.cfg)", OpenSearchSender.PID);
            return;
        }
        store = ContextClassLoader.ofThisBundle(() -> ClusterSpanStore.of(settings));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, RANKING);
        props.put("deeptrace.store", "opensearch");
        registration = context.registerService(SpanStore.class, this, props);
        LOG.info("Answering span queries from OpenSearch {} ({}*), service.ranking {}", settings.urls(),
                settings.indexPrefix(), RANKING);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                LOG.warn("OpenSearch query backend: closing the client failed: {}", e.toString());
            }
            store = null;
        }
    }

    private ClusterSpanStore store() {
        ClusterSpanStore s = store;
        if (s == null) {
            throw new IllegalStateException("the OpenSearch query backend is stopped");
        }
        return s;
    }

    @Override
    public List<Span> find(SpanQuery query) {
        ClusterSpanStore s = store();
        return ContextClassLoader.ofThisBundle(() -> s.find(query));
    }

    @Override
    public List<Span> trace(String traceId) {
        ClusterSpanStore s = store();
        return ContextClassLoader.ofThisBundle(() -> s.trace(traceId));
    }

    @Override
    public long size() {
        ClusterSpanStore s = store();
        return ContextClassLoader.ofThisBundle(s::size);
    }

    @Override
    public List<TraceSummary> traces(TraceQuery query) {
        ClusterSpanStore s = store();
        return ContextClassLoader.ofThisBundle(() -> s.traces(query));
    }

    @Override
    public List<DependencyLink> dependencies(long startNs, long endNs) {
        ClusterSpanStore s = store();
        return ContextClassLoader.ofThisBundle(() -> s.dependencies(startNs, endNs));
    }

    @Override
    public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
        ClusterSpanStore s = store();
        return ContextClassLoader.ofThisBundle(() -> s.endpointLatency(service, startNs, endNs));
    }
}
