package org.deeptrace.store.lucene.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The store's configuration, checked.
 *
 * @param path the index directory
 * @param commitIntervalMs how often what was received is made durable: a crash loses at most this much
 * @param refreshIntervalMs how often what was received becomes searchable
 * @param retentionHours spans received longer ago are deleted; 0 keeps them whatever their age
 * @param retentionMaxBytes above this index size the oldest spans (by start) are deleted; 0 for no limit
 */
record StoreSettings(Path path, long commitIntervalMs, long refreshIntervalMs, long retentionHours,
        long retentionMaxBytes) {
    static final String PID = "org.deeptrace.store.lucene";
    static final long DEFAULT_COMMIT_MS = 5_000;
    static final long DEFAULT_REFRESH_MS = 250;
    static final long DEFAULT_RETENTION_HOURS = 72;
    static final long DEFAULT_MAX_MB = 1_024;

    /**
     * @param dataDir {@code ${karaf.data}}: the default path is its {@code spans/index} folder, and relative paths are
     *     taken from it
     * @throws IllegalArgumentException naming the file, the key and the reason of a bad value
     */
    static StoreSettings from(Map<String, ?> properties, Path dataDir) {
        ConfigValues v = new ConfigValues(properties, PID);
        String p = v.string("path", "spans/index");
        Path path;
        try {
            path = dataDir.resolve(p).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw v.invalid("path", p, "is not a valid path: " + e.getReason());
        }
        long commit = v.positiveLong("commit.interval.ms", DEFAULT_COMMIT_MS);
        long refresh = v.positiveLong("refresh.interval.ms", DEFAULT_REFRESH_MS);
        long hours = v.nonNegativeLong("retention.hours", DEFAULT_RETENTION_HOURS);
        long mb = v.nonNegativeLong("retention.max.mb", DEFAULT_MAX_MB);
        if (mb > Long.MAX_VALUE / (1024 * 1024)) {
            throw v.invalid("retention.max.mb", mb, "is too large");
        }
        return new StoreSettings(path, commit, refresh, hours, mb * 1024 * 1024);
    }
}
