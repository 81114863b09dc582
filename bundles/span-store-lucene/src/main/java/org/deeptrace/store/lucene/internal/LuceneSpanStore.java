package org.deeptrace.store.lucene.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.store.AlreadyClosedException;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.sender.SendResult;
import org.deeptrace.api.sender.SpanSender;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
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
 * The embedded span store: a sender the pipeline hands every finished span to, and the {@link SpanStore} the REST
 * API and the shell query, over a Lucene index in {@code ${karaf.data}/spans/index} (beside the file sender's {@code spans.jsonl}). Registered with
 * {@code service.ranking = 100}, above the in-memory store, so it answers when both are installed.
 *
 * <p>Received spans are searchable within {@code refresh.interval.ms} and durable within
 * {@code commit.interval.ms}: a crash of the JVM or the machine loses at most the spans of that last interval
 * (plus what still sat in the pipeline's queues). A clean stop commits everything.
 */
@Component(service = {SpanStore.class, SpanSender.class}, configurationPid = StoreSettings.PID,
        property = "service.ranking:Integer=100")
@Designate(ocd = LuceneSpanStore.Config.class)
public final class LuceneSpanStore implements SpanStore, SpanSender {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneSpanStore.class);
    private static final long RETENTION_CHECK_MS = 60_000;

    @ObjectClassDefinition(name = "DeepTrace span store (Lucene)",
            description = "Spans kept on this host in a Lucene index, for trace queries.")
    @interface Config {
        @AttributeDefinition(name = "Path", description = "Index directory; relative to ${karaf.data}.")
        String path() default "spans/index";

        @AttributeDefinition(name = "Commit interval (ms)",
                description = "How often received spans are made durable: a crash loses at most this much.")
        long commit_interval_ms() default StoreSettings.DEFAULT_COMMIT_MS;

        @AttributeDefinition(name = "Refresh interval (ms)",
                description = "How often received spans become searchable.")
        long refresh_interval_ms() default StoreSettings.DEFAULT_REFRESH_MS;

        @AttributeDefinition(name = "Retention (hours)",
                description = "Spans received longer ago are deleted; 0 keeps spans whatever their age.")
        long retention_hours() default StoreSettings.DEFAULT_RETENTION_HOURS;

        @AttributeDefinition(name = "Maximum size (MB)",
                description = "Above this index size the oldest spans are deleted; 0 for no limit.")
        long retention_max_mb() default StoreSettings.DEFAULT_MAX_MB;
    }

    private final Path dataDir;
    private ScheduledExecutorService timer;
    private volatile SpanIndex index;
    private StoreSettings settings;
    private final java.util.ArrayList<ScheduledFuture<?>> tasks = new java.util.ArrayList<>();

    public LuceneSpanStore() {
        this(Path.of(System.getProperty("karaf.data", "data")));
    }

    /** For tests: relative paths resolve against {@code dataDir}. */
    LuceneSpanStore(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Activate
    synchronized void activate(Map<String, Object> properties) throws IOException {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deeptrace-store-lucene");
            t.setDaemon(true);
            return t;
        });
        StoreSettings s;
        try {
            s = StoreSettings.from(properties, dataDir);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; using the defaults", e.getMessage());
            s = StoreSettings.from(Map.of(), dataDir);
        }
        apply(s);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) throws IOException {
        StoreSettings s;
        try {
            s = StoreSettings.from(properties, dataDir);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; the previous values stay in force", e.getMessage());
            return;
        }
        apply(s);
    }

    @Deactivate
    synchronized void deactivate() {
        cancelTasks();
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeIndex();
    }

    private void apply(StoreSettings s) throws IOException {
        if (index == null || !index.path().equals(s.path())) {
            closeIndex();
            long t0 = System.nanoTime();
            index = new SpanIndex(s.path());
            LOG.info("Span store at {}: {} spans, {} MB, opened in {} ms", s.path(), index.size(),
                    index.diskBytes() / (1024 * 1024), (System.nanoTime() - t0) / 1_000_000);
        }
        settings = s;
        cancelTasks();
        tasks.add(timer.scheduleWithFixedDelay(() -> quietly("refresh", SpanIndex::refresh),
                s.refreshIntervalMs(), s.refreshIntervalMs(), TimeUnit.MILLISECONDS));
        tasks.add(timer.scheduleWithFixedDelay(() -> quietly("commit", SpanIndex::commit),
                s.commitIntervalMs(), s.commitIntervalMs(), TimeUnit.MILLISECONDS));
        tasks.add(timer.scheduleWithFixedDelay(this::enforceRetention, 0, RETENTION_CHECK_MS, TimeUnit.MILLISECONDS));
    }

    /**
     * Deletes spans older than the retention period, then the oldest ones while the index is too large.
     * Synchronized: the periodic task and an explicit call must not size and delete the same index at once.
     */
    synchronized void enforceRetention() {
        SpanIndex i = index;
        StoreSettings s = settings;
        if (i == null || s == null) {
            return;
        }
        try {
            if (s.retentionHours() > 0
                    && i.deleteReceivedBefore(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(s.retentionHours()))) {
                LOG.info("Span store: deleted spans received more than {} h ago", s.retentionHours());
            }
            if (s.retentionMaxBytes() > 0 && i.liveBytes() > s.retentionMaxBytes()) {
                long n = i.shrinkTo(s.retentionMaxBytes());
                LOG.info("Span store: deleted the {} oldest spans to stay within {} MB", n,
                        s.retentionMaxBytes() / (1024 * 1024));
            }
        } catch (IOException | AlreadyClosedException e) {
            LOG.warn("Span store: retention failed: {}", e.toString());
        }
    }

    private interface IndexTask {
        void run(SpanIndex index) throws IOException;
    }

    private void quietly(String what, IndexTask task) {
        SpanIndex i = index;
        if (i == null) {
            return;
        }
        try {
            task.run(i);
        } catch (IOException | AlreadyClosedException e) {
            LOG.warn("Span store: {} failed: {}", what, e.toString());
        }
    }

    private void cancelTasks() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
    }

    private void closeIndex() {
        SpanIndex i = index;
        index = null;
        if (i != null) {
            try {
                i.close();
            } catch (IOException e) {
                LOG.error("Span store: closing {} failed", i.path(), e);
            }
        }
    }

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public SendResult send(List<Span> spans) {
        SpanIndex i = index;
        if (i == null) {
            return SendResult.RETRY;
        }
        try {
            i.add(spans, System.currentTimeMillis());
            return SendResult.SUCCESS;
        } catch (AlreadyClosedException e) {
            return SendResult.RETRY; // being reconfigured or stopped
        } catch (IOException e) {
            LOG.warn("Span store: {} spans not stored: {}", spans.size(), e.toString());
            return SendResult.FAILURE;
        }
    }

    @Override
    public SendResult flush() {
        quietly("refresh", SpanIndex::refresh);
        return SendResult.SUCCESS;
    }

    @Override
    public List<Span> find(SpanQuery query) {
        return query(i -> i.find(query));
    }

    @Override
    public List<Span> trace(String traceId) {
        return query(i -> i.trace(traceId));
    }

    @Override
    public long size() {
        return query(SpanIndex::size);
    }

    @Override
    public List<TraceSummary> traces(TraceQuery query) {
        return query(i -> i.traces(query));
    }

    @Override
    public List<DependencyLink> dependencies(long startNs, long endNs) {
        return query(i -> i.dependencies(startNs, endNs));
    }

    @Override
    public List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) {
        return query(i -> i.endpointLatency(service, startNs, endNs));
    }

    /** For tests and the benchmark: searchable and durable now. */
    void refreshAndCommit() throws IOException {
        index.refresh();
        index.commit();
    }

    /** For tests and the benchmark. */
    SpanIndex index() {
        return index;
    }

    private interface IndexQuery<T> {
        T run(SpanIndex index) throws IOException;
    }

    private <T> T query(IndexQuery<T> q) {
        SpanIndex i = index;
        if (i == null) {
            throw new IllegalStateException("the span store is closed");
        }
        try {
            return q.run(i);
        } catch (IOException e) {
            throw SpanIndex.unchecked("span store query failed", e);
        }
    }
}
