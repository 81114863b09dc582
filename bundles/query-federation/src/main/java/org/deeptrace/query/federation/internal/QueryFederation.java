package org.deeptrace.query.federation.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeptrace.api.store.SpanStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this installation a query server over agents: with {@code agents} configured, registers a
 * {@link FederatedSpanStore} ranked above the local stores, so the REST API and the shell answer across agents
 * unchanged; with none, registers nothing. The store is registered by hand (not as this component's service)
 * because whether there is one depends on the configuration.
 */
@Component(immediate = true, configurationPid = QueryFederation.PID)
@Designate(ocd = QueryFederation.Config.class)
public final class QueryFederation {
    static final String PID = "org.deeptrace.query.federation";
    /** Above the Lucene store (100) and the memory store (0). */
    static final int RANKING = 200;
    /** Marks the store as a federation, so the agent API of an agent that is also the server never asks itself. */
    static final String FEDERATED = "deeptrace.store.federated";

    private static final Logger LOG = LoggerFactory.getLogger(QueryFederation.class);

    @ObjectClassDefinition(name = "DeepTrace query server",
            description = "Answers trace queries across agents by query-driven assembly.")
    @interface Config {
        @AttributeDefinition(name = "Agents", description = "name=http://host:port, comma-separated; empty: this "
                + "installation is not a query server")
        String agents() default "";

        @AttributeDefinition(name = "Timeout (ms)", description = "How long one request to an agent may take")
        long timeout_ms() default 10_000;

        @AttributeDefinition(name = "Longest exchange (ms)",
                description = "How long before a server span its caller's request may have started")
        long max_exchange_ms() default 60_000;

        @AttributeDefinition(name = "Rounds", description = "Most rounds of requests one query may take")
        int max_rounds() default 16;
    }

    private BundleContext context;
    private ServiceRegistration<SpanStore> registration;
    private ExecutorService executor;

    @Activate
    @Modified
    synchronized void configure(BundleContext context, Config config) {
        this.context = context;
        stop();
        List<AgentList.Entry> entries;
        try {
            entries = AgentList.parse(config.agents());
            if (config.timeout_ms() <= 0 || config.max_exchange_ms() < 0 || config.max_rounds() < 1) {
                throw new IllegalArgumentException("timeout.ms must be positive, max.exchange.ms not negative and "
                        + "max.rounds at least 1");
            }
        } catch (IllegalArgumentException e) {
            LOG.error("query server: configuration {} refused, not serving queries across agents: {}", PID,
                    e.getMessage());
            return;
        }
        if (entries.isEmpty()) {
            LOG.info("query server: no agents configured ({}): not serving queries across agents", PID);
            return;
        }
        Duration timeout = Duration.ofMillis(config.timeout_ms());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
        List<AgentClient> agents = new ArrayList<>();
        for (AgentList.Entry e : entries) {
            agents.add(new AgentClient(e.name(), e.base(), http, timeout));
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(Math.min(8, agents.size()), r -> {
            Thread t = new Thread(r, "deeptrace-query-federation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        FederatedSpanStore store = new FederatedSpanStore(agents, executor, config.max_exchange_ms() * 1_000_000L,
                config.max_rounds());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, RANKING);
        props.put(FEDERATED, Boolean.TRUE);
        props.put("deeptrace.agents", agents.stream().map(AgentClient::toString).toList().toString());
        registration = context.registerService(SpanStore.class, store, props);
        LOG.info("query server: answering trace queries across agents {}", agents);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
