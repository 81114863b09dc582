package org.deeptrace.sender.opensearch.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sender's (and the query backend's) configuration, checked: every bad value fails with {@code source: key = 'value' reason}, the way the
 * other components report configuration errors.
 */
public record SenderSettings(
        boolean enabled,
        List<URI> urls,
        String username,
        String password,
        String indexPrefix,
        int bulkActions,
        int bulkBytes,
        Duration flushInterval,
        int retentionDays,
        int shards,
        int replicas,
        int retries,
        Duration backoff,
        Duration backoffMax,
        Duration timeout,
        Path spoolPath,
        long spoolMaxBytes,
        TimestampSource timestamp,
        boolean queryEnabled) {

    /** Where a span document's {@code @timestamp} (and so its daily index) comes from. */
    enum TimestampSource {
        /** start_ns when it lies after 2000-01-01 (wall-clock capture), else start_ns since this host's boot (monotonic). */
        AUTO,
        START_NS,
        RECEIVED
    }

    /** Reads and checks the configuration properties; throws naming file, key, value and reason. */
    public static SenderSettings from(Map<String, ?> p) {
        Object file = p.get("felix.fileinstall.filename");
        Object source = String.valueOf(file == null ? OpenSearchSender.PID : file).replaceFirst("^file:", "");
        Reader r = new Reader(p, source);
        return new SenderSettings(
                r.bool("enabled", false),
                r.urls("urls", "http://127.0.0.1:9200"),
                r.string("username", ""),
                r.string("password", ""),
                r.indexPrefix("index_prefix", "deeptrace-spans-"),
                (int) r.range("bulk_actions", 1000, 1, 100_000),
                (int) r.range("bulk_size_kb", 5120, 1, 512 * 1024) * 1024,
                Duration.ofMillis(r.range("flush_interval_ms", 1000, 1, 3_600_000)),
                (int) r.range("retention_days", 7, 0, 36_500),
                (int) r.range("shards", 1, 1, 1024),
                (int) r.range("replicas", 1, 0, 16),
                (int) r.range("retries", 3, 0, 100),
                Duration.ofMillis(r.range("backoff_ms", 100, 1, 3_600_000)),
                Duration.ofMillis(r.range("backoff_max_ms", 30_000, 1, 3_600_000)),
                Duration.ofMillis(r.range("timeout_ms", 10_000, 100, 3_600_000)),
                Path.of(r.nonEmpty("spool_path", "data/spool/opensearch")),
                r.range("spool_max_mb", 1024, 1, 1024L * 1024L) * 1024L * 1024L,
                r.timestamp("timestamp"),
                r.bool("query_enabled", false));
    }

    /** Reads one key at a time and names the key and the reason when a value is wrong. */
    private record Reader(Map<String, ?> p, Object source) {

        private IllegalArgumentException bad(String key, Object v, String reason) {
            return new IllegalArgumentException(source + ": " + key + " = '" + v + "' " + reason);
        }

        String string(String key, String fallback) {
            Object v = p.get(key);
            return v == null ? fallback : v.toString().trim();
        }

        String nonEmpty(String key, String fallback) {
            String s = string(key, fallback);
            if (s.isEmpty()) {
                throw bad(key, s, "must not be empty");
            }
            return s;
        }

        boolean bool(String key, boolean fallback) {
            Object v = p.get(key);
            if (v == null) {
                return fallback;
            }
            String s = v.toString().trim().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw bad(key, v, "is not true or false");
            }
            return s.equals("true");
        }

        long range(String key, long fallback, long min, long max) {
            Object v = p.get(key);
            if (v == null) {
                return fallback;
            }
            long n;
            try {
                n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(key, v, "is not a whole number");
            }
            if (n < min || n > max) {
                throw bad(key, v, "must be between " + min + " and " + max);
            }
            return n;
        }

        List<URI> urls(String key, String fallback) {
            String s = nonEmpty(key, fallback);
            List<URI> out = new ArrayList<>();
            for (String part : s.split(",")) {
                String u = part.trim();
                if (u.isEmpty()) {
                    continue;
                }
                try {
                    URI uri = new URI(u);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        throw bad(key, s, "has '" + u + "', not an http:// or https:// URL with a host");
                    }
                    out.add(uri);
                } catch (URISyntaxException e) {
                    throw bad(key, s, "has '" + u + "', not a URL: " + e.getReason());
                }
            }
            if (out.isEmpty()) {
                throw bad(key, s, "names no URL");
            }
            return List.copyOf(out);
        }

        String indexPrefix(String key, String fallback) {
            String s = nonEmpty(key, fallback);
            if (!s.equals(s.toLowerCase(Locale.ROOT)) || s.startsWith("_") || s.startsWith("-") || s.startsWith("+")
                    || s.chars().anyMatch(c -> "\\/*?\"<>| ,#:".indexOf(c) >= 0)) {
                throw bad(key, s, "is not a valid OpenSearch index name start (lowercase, no \\/*?\"<>| ,#:, not starting with _ - +)");
            }
            return s;
        }

        TimestampSource timestamp(String key) {
            String s = string(key, "auto");
            try {
                return TimestampSource.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(key, s, "is not one of auto, start_ns, received");
            }
        }
    }
}
