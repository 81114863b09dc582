package org.deeptrace.sender.opensearch.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers the OpenSearch tests share: sender settings, counts, waiting. */
final class Cluster {
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

    private Cluster() {
    }

    static Map<String, Object> config(String urls, String prefix, Path spool) {
        Map<String, Object> p = new HashMap<>();
        p.put("enabled", "true");
        p.put("urls", urls);
        p.put("index_prefix", prefix);
        p.put("bulk_actions", "200");
        p.put("flush_interval_ms", "200");
        p.put("replicas", "0");
        p.put("retries", "2");
        p.put("backoff_ms", "50");
        p.put("backoff_max_ms", "1000");
        p.put("timeout_ms", "5000");
        p.put("spool_path", spool.toString());
        return p;
    }

    static Shipper start(Map<String, Object> config) {
        return OpenSearchSender.start(SenderSettings.from(config));
    }

    static Shipper start(Map<String, Object> config, SenderClock clock) {
        return OpenSearchSender.start(SenderSettings.from(config), clock);
    }

    /** The {@code count} of a {@code _count} answer. */
    static long count(String answer) {
        Matcher m = COUNT.matcher(answer);
        if (!m.find()) {
            throw new AssertionError("no count in " + answer);
        }
        return Long.parseLong(m.group(1));
    }

    /** Polls until {@code actual} returns {@code expected} or the time is up; returns the last value. */
    static long awaitCount(long expected, long timeoutMs, Supplier<Long> actual) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long last = -1;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = actual.get();
            } catch (RuntimeException e) {
                last = -1;
            }
            if (last == expected) {
                return last;
            }
            Thread.sleep(250);
        }
        return last;
    }
}
