package org.deeptrace.pipeline.internal.osgi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.sender.SendResult;
import org.deeptrace.api.sender.SpanSender;
import org.deeptrace.pipeline.internal.core.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one sender from its own bounded queue and thread, so a slow or failing backend costs only its own spans
 * (counted) and never stalls parsing.
 */
final class SenderDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SenderDispatcher.class);
    private static final int BATCH = 512;
    private static final int MAX_RETRIES = 5;

    private final SpanSender sender;
    private final Counters counters;
    private final BlockingQueue<Span> queue;
    private final Thread thread;
    private volatile boolean running = true;

    SenderDispatcher(SpanSender sender, int capacity, Counters counters) {
        this.sender = sender;
        this.counters = counters;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "deeptrace-sender-" + sender.name());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    SpanSender sender() {
        return sender;
    }

    /** Queues spans; those that don't fit are dropped and counted. */
    void offer(List<Span> spans) {
        for (Span s : spans) {
            if (!queue.offer(s)) {
                counters.increment("drops.sender_queue_full." + sender.name());
            }
        }
    }

    /** Waits until what is queued now has been handed to the sender (bounded), then flushes it. */
    void drain(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!queue.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            counters.add("drops.sender_stopped." + sender.name(), left);
        }
    }

    private void run() {
        List<Span> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                Span first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    call(sender::flush);
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                send(batch);
                batch.clear();
            } catch (InterruptedException e) {
                break;
            }
        }
        // Hand over what is left before the sender goes away.
        queue.drainTo(batch);
        if (!batch.isEmpty()) {
            send(batch);
        }
        call(sender::flush);
    }

    private void send(List<Span> batch) {
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            SendResult result = call(() -> sender.send(batch));
            if (result == SendResult.SUCCESS) {
                counters.add("sent." + sender.name(), batch.size());
                return;
            }
            if (result == SendResult.FAILURE || !running) {
                break;
            }
            try {
                Thread.sleep(100L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        counters.add("drops.sender_failed." + sender.name(), batch.size());
    }

    private SendResult call(java.util.function.Supplier<SendResult> action) {
        try {
            SendResult r = action.get();
            return r == null ? SendResult.FAILURE : r;
        } catch (RuntimeException e) {
            counters.increment("sender.exceptions." + sender.name());
            LOG.warn("Sender {} failed", sender.name(), e);
            return SendResult.FAILURE;
        }
    }
}
