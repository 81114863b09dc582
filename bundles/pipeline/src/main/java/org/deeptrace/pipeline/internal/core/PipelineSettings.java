package org.deeptrace.pipeline.internal.core;

/**
 * Tuning of one pipeline instance.
 *
 * @param host the host name written into spans
 * @param windowNs correlation window length (capture time)
 * @param graceNs how long after a window ends its decisions wait for late responses
 * @param reorderNs how long a record may wait for a missing predecessor before the bytes are declared lost
 * @param idleNs a connection idle this long is closed and forgotten
 * @param minConfidence protocol inference accepts a verdict at least this confident
 */
public record PipelineSettings(String host, long windowNs, long graceNs, long reorderNs, long idleNs,
        double minConfidence) {

    public static final long MS = 1_000_000L;

    public static PipelineSettings defaults(String host) {
        return new PipelineSettings(host, 5_000 * MS, 5_000 * MS, 200 * MS, 300_000 * MS, 0.5);
    }

    public PipelineSettings withWindow(long windowNs, long graceNs) {
        return new PipelineSettings(host, windowNs, graceNs, reorderNs, idleNs, minConfidence);
    }
}
