package org.deeptrace.sender.opensearch.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** The sender's counters, by the dotted names {@link OpenSearchSender#counters()} reports. */
final class SenderCounters {
    /** Spans the cluster acknowledged, live or from the spool. */
    final AtomicLong sent = new AtomicLong();
    /** Spans acknowledged while draining the spool (also in {@link #sent}). */
    final AtomicLong drained = new AtomicLong();
    /** Span sends repeated after a failure (per span and attempt). */
    final AtomicLong retried = new AtomicLong();
    /** Spans written to the spool. */
    final AtomicLong spooled = new AtomicLong();
    /** Spans dropped because the spool was full. */
    final AtomicLong droppedSpoolFull = new AtomicLong();
    /** Spans the cluster refused for good (mapping errors, ...). */
    final AtomicLong droppedRejected = new AtomicLong();
    /** Spans lost because the spool could not be written or read (disk errors, torn tails after a crash). */
    final AtomicLong droppedSpoolError = new AtomicLong();
    final AtomicLong bulkRequests = new AtomicLong();
    final AtomicLong bulkFailures = new AtomicLong();
    final AtomicLong indicesDeleted = new AtomicLong();

    Map<String, Long> snapshot(Spool spool) {
        Map<String, Long> m = new TreeMap<>();
        m.put("sent", sent.get());
        m.put("drained", drained.get());
        m.put("retried", retried.get());
        m.put("spooled", spooled.get());
        m.put("spool.bytes", spool == null ? 0 : spool.bytes());
        m.put("spool.segments", spool == null ? 0 : (long) spool.segments());
        m.put("dropped.spool_full", droppedSpoolFull.get());
        m.put("dropped.rejected", droppedRejected.get());
        m.put("dropped.spool_error", droppedSpoolError.get());
        m.put("bulk.requests", bulkRequests.get());
        m.put("bulk.failures", bulkFailures.get());
        m.put("retention.indices_deleted", indicesDeleted.get());
        return m;
    }
}
