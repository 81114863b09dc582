package org.deeptrace.sender.opensearch.internal;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.deeptrace.api.model.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's engine, free of OSGi. Spans are encoded into bulk entries and batched by count and bytes; a full
 * batch (or, on a timer, a partial one) is bulk-indexed with retries and exponential backoff. What the cluster does
 * not take — it is unreachable, or answers 429/5xx for the request or for single items — goes to the {@link Spool},
 * and while the cluster is known to be down new batches go straight there, so the pipeline thread never waits on a
 * dead cluster. A drainer thread sends the spool back, oldest segment first, as soon as the cluster answers again.
 * A retention task deletes daily indices older than the configured number of days; an index's day is the start day
 * of its spans (see {@link SpanDocuments}), so retention goes by the spans' age, not by when they were sent.
 */
final class Shipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

    private final SenderSettings settings;
    private final BulkClient client;
    private final Spool spool;
    private final SpanDocuments documents;
    private final LongSupplier nowMillis;
    private final SenderCounters counters = new SenderCounters();
    private final ReentrantLock batchLock = new ReentrantLock();
    private final Object drainSignal = new Object();
    private final ScheduledExecutorService timers;
    private final Thread drainer;

    private List<byte[]> batch = new ArrayList<>();
    private long batchBytes;
    private volatile boolean down;
    private volatile boolean closing;
    private volatile boolean templateReady;
    private long lastRejectLog;

    Shipper(SenderSettings settings, BulkClient client, Spool spool, SenderClock clock) {
        this.settings = settings;
        this.client = client;
        this.spool = spool;
        this.nowMillis = clock.wallMillis();
        this.documents = new SpanDocuments(settings.indexPrefix(), settings.timestamp(), clock);
        ClassLoader loader = Shipper.class.getClassLoader();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deeptrace-opensearch-timer");
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
        this.drainer = new Thread(this::drainLoop, "deeptrace-opensearch-spool-drainer");
        drainer.setDaemon(true);
        drainer.setContextClassLoader(loader);
    }

    void start() {
        long flush = settings.flushInterval().toMillis();
        timers.scheduleWithFixedDelay(this::flushQuietly, flush, flush, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::applyRetention, 5, 3600, TimeUnit.SECONDS);
        drainer.start();
        if (!spool.isEmpty()) {
            LOG.info("{} spooled bytes in {} from before; sending them when the cluster answers", spool.bytes(),
                    spool.dir());
        }
    }

    /** Encodes and batches spans; ships every batch that fills up. Called from the pipeline's sender thread. */
    void add(List<Span> spans) {
        batchLock.lock();
        try {
            for (Span s : spans) {
                byte[] entry = documents.entry(s);
                if (!batch.isEmpty() && (batch.size() >= settings.bulkActions()
                        || batchBytes + entry.length > settings.bulkBytes())) {
                    shipBatch();
                }
                batch.add(entry);
                batchBytes += entry.length;
            }
            if (batch.size() >= settings.bulkActions()) {
                shipBatch();
            }
        } finally {
            batchLock.unlock();
        }
    }

    /** Ships the partial batch now. */
    void flush() {
        batchLock.lock();
        try {
            if (!batch.isEmpty()) {
                shipBatch();
            }
        } finally {
            batchLock.unlock();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Flushing spans to OpenSearch failed", e);
        }
    }

    private void shipBatch() {
        List<byte[]> entries = batch;
        batch = new ArrayList<>(Math.min(settings.bulkActions(), 4096));
        batchBytes = 0;
        ship(entries);
    }

    /** Bulk-indexes entries, retrying with backoff; what is still not taken goes to the spool. */
    private void ship(List<byte[]> entries) {
        if (down || !ensureTemplate()) {
            toSpool(entries);
            return;
        }
        List<byte[]> pending = entries;
        BulkClient.Outcome outcome = null;
        for (int attempt = 0; ; attempt++) {
            outcome = bulk(pending, false);
            if (outcome.retryable().isEmpty()) {
                return;
            }
            pending = outcome.retryable();
            if (attempt >= settings.retries() || closing) {
                break;
            }
            counters.retried.addAndGet(pending.size());
            if (!sleep(backoff(attempt))) {
                break;
            }
        }
        if (outcome.unreachable()) {
            markDown(outcome.error());
        } else {
            LOG.debug("{} spans not taken after {} retries ({}); spooling them", pending.size(), settings.retries(),
                    outcome.error());
        }
        toSpool(pending);
    }

    private BulkClient.Outcome bulk(List<byte[]> entries, boolean fromSpool) {
        counters.bulkRequests.incrementAndGet();
        BulkClient.Outcome o = client.bulk(entries);
        counters.sent.addAndGet(o.indexed());
        if (fromSpool) {
            counters.drained.addAndGet(o.indexed());
        }
        if (!o.retryable().isEmpty()) {
            counters.bulkFailures.incrementAndGet();
        }
        if (!o.rejected().isEmpty()) {
            long total = counters.droppedRejected.addAndGet(o.rejected().size());
            long now = System.nanoTime();
            if (now - lastRejectLog > TimeUnit.MINUTES.toNanos(1)) {
                lastRejectLog = now;
                LOG.warn("OpenSearch rejected {} spans ({} so far), e.g.: {}", o.rejected().size(), total,
                        o.rejected().get(0));
            }
        }
        return o;
    }

    private void toSpool(List<byte[]> entries) {
        try {
            int refused = spool.append(entries);
            counters.spooled.addAndGet(entries.size() - refused);
            if (refused > 0) {
                long total = counters.droppedSpoolFull.addAndGet(refused);
                LOG.warn("Spool {} is full ({} bytes): dropped {} spans ({} so far)", spool.dir(), spool.bytes(),
                        refused, total);
            }
        } catch (IOException e) {
            counters.droppedSpoolError.addAndGet(entries.size());
            LOG.error("Cannot write {} spans to the spool {}: {}", entries.size(), spool.dir(), e.toString());
        }
        if (!down) {
            // spooled for a retryable answer of a live cluster: drain soon; while it is down the drainer backs off
            synchronized (drainSignal) {
                drainSignal.notifyAll();
            }
        }
    }

    private void markDown(String why) {
        if (!down) {
            down = true;
            LOG.warn("OpenSearch cluster {} unreachable ({}); spooling spans to {}", settings.urls(), why, spool.dir());
        }
    }

    private void markUp() {
        if (down) {
            down = false;
            LOG.info("OpenSearch cluster {} answers again; sending live spans and draining the spool", settings.urls());
        }
    }

    /** Puts the index template once per start; false while the cluster cannot be reached. */
    private boolean ensureTemplate() {
        if (templateReady) {
            return true;
        }
        synchronized (this) {
            if (templateReady) {
                return true;
            }
            try {
                String name = IndexTemplate.name(settings.indexPrefix());
                String error = client.putTemplate(name,
                        IndexTemplate.body(settings.indexPrefix(), settings.shards(), settings.replicas()));
                if (error != null) {
                    LOG.error("OpenSearch refused the index template {}: {}; indexing without it", name, error);
                }
                templateReady = true;
                return true;
            } catch (IOException | RuntimeException e) {
                markDown(e.toString());
                return false;
            }
        }
    }

    private void drainLoop() {
        long delay = 0;
        while (!closing) {
            if (delay > 0 && !waitForSignal(delay)) {
                return;
            }
            try {
                if (spool.isEmpty()) {
                    if (down && client.ping()) {
                        markUp();
                    }
                    delay = down ? nextDelay(delay) : settings.flushInterval().toMillis();
                    continue;
                }
                delay = drainOldest() ? 0 : nextDelay(delay);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Draining the spool {} failed: {}", spool.dir(), e.toString());
                delay = nextDelay(delay);
            }
        }
    }

    private long nextDelay(long delay) {
        long base = Math.max(delay, settings.backoff().toMillis());
        return Math.min(delay == 0 ? base : base * 2, Math.max(settings.backoffMax().toMillis(), 1));
    }

    /** Sends the oldest segment; true when all of it was taken. */
    private boolean drainOldest() throws IOException {
        long seq = spool.oldest();
        if (seq < 0 || !ensureTemplate()) {
            return false;
        }
        Spool.Read read = spool.read(seq);
        if (read.tornBytes() > 0) {
            counters.droppedSpoolError.incrementAndGet();
            LOG.warn("Spool segment {} ends in a torn entry of {} bytes (a crash while writing); skipped", seq,
                    read.tornBytes());
        }
        List<byte[]> left = new ArrayList<>();
        BulkClient.Outcome failure = null;
        List<byte[]> chunk = new ArrayList<>();
        long chunkBytes = 0;
        List<byte[]> entries = read.entries();
        for (int i = 0; i <= entries.size(); i++) {
            byte[] e = i < entries.size() ? entries.get(i) : null;
            boolean full = e == null || chunk.size() >= settings.bulkActions()
                    || (!chunk.isEmpty() && chunkBytes + e.length > settings.bulkBytes());
            if (full && !chunk.isEmpty()) {
                if (failure != null || closing) {
                    left.addAll(chunk);
                } else {
                    BulkClient.Outcome o = bulk(chunk, true);
                    if (!o.retryable().isEmpty()) {
                        counters.retried.addAndGet(o.retryable().size());
                        left.addAll(o.retryable());
                        failure = o;
                    }
                }
                chunk = new ArrayList<>();
                chunkBytes = 0;
            }
            if (e != null) {
                chunk.add(e);
                chunkBytes += e.length;
            }
        }
        spool.replace(seq, left);
        if (failure == null && !closing) {
            markUp();
            return true;
        }
        if (failure != null && failure.unreachable()) {
            markDown(failure.error());
        }
        return false;
    }

    /**
     * Deletes the daily indices of this prefix whose day (the start day of their spans) is more than
     * {@code retention_days} before today; other indices matching the prefix are left alone.
     */
    void applyRetention() {
        if (settings.retentionDays() <= 0 || down) {
            return;
        }
        try {
            LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(nowMillis.getAsLong(), 86_400_000L));
            LocalDate oldestKept = today.minusDays(settings.retentionDays());
            String prefix = settings.indexPrefix();
            for (String index : client.indices(prefix + "*")) {
                try {
                    LocalDate day = LocalDate.parse(index.substring(prefix.length()), DAY);
                    if (day.isBefore(oldestKept)) {
                        client.deleteIndex(index);
                        counters.indicesDeleted.incrementAndGet();
                        LOG.info("Deleted index {}: older than {} days", index, settings.retentionDays());
                    }
                } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
                    // not a daily index of ours
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Retention check failed: {}", e.toString());
        }
    }

    private long backoff(int attempt) {
        long ms = settings.backoff().toMillis() << Math.min(attempt, 20);
        return Math.min(ms, settings.backoffMax().toMillis());
    }

    private boolean waitForSignal(long ms) {
        synchronized (drainSignal) {
            try {
                drainSignal.wait(ms);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Map<String, Long> counters() {
        return counters.snapshot(spool);
    }

    boolean isDown() {
        return down;
    }

    /** Ships the partial batch (one attempt, else to the spool) and stops the drainer and timers. */
    @Override
    public void close() {
        closing = true;
        timers.shutdown();
        synchronized (drainSignal) {
            drainSignal.notifyAll();
        }
        try {
            // the drainer stops between two bulk requests; interrupting it could tear a spool file write
            drainer.join(settings.timeout().toMillis() + 5000);
            if (drainer.isAlive()) {
                drainer.interrupt();
                drainer.join(5000);
            }
            timers.awaitTermination(settings.timeout().toMillis() * (settings.retries() + 2L), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        try {
            spool.close();
        } catch (IOException e) {
            LOG.warn("Closing the spool {}: {}", spool.dir(), e.toString());
        }
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("Closing the OpenSearch client: {}", e.toString());
        }
        LOG.info("OpenSearch sender stopped: {}", counters());
    }
}
