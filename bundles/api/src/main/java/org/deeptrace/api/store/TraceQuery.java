package org.deeptrace.api.store;

import java.util.Map;
import java.util.Objects;
import org.deeptrace.api.model.ResponseStatus;

/**
 * Which traces to find: those with at least one span that matches every non-null criterion at once (as Zipkin's
 * trace search does), newest first.
 *
 * @param service the span's {@code comm} (process name), exact; null for any
 * @param endpoint the span's endpoint, exact; null for any
 * @param protocol the span's protocol, exact, case-insensitive; null for any
 * @param status the span's response status; null for any
 * @param minDurationNs the span lasted at least this long (0: no minimum)
 * @param maxDurationNs the span lasted at most this long ({@link Long#MAX_VALUE}: no maximum)
 * @param startNs the span started at or after this time (0: no bound)
 * @param endNs the span started at or before this time ({@link Long#MAX_VALUE}: no bound)
 * @param tags span fields that must have exactly these values, by contract field name (see
 *     {@link TraceAnalysis#TAG_KEYS}; {@code service} and {@code peer} are taken for {@code comm} and
 *     {@code remote}); empty for none
 * @param limit at most this many traces
 */
public record TraceQuery(String service, String endpoint, String protocol, ResponseStatus status,
        long minDurationNs, long maxDurationNs, long startNs, long endNs, Map<String, String> tags, int limit) {

    public TraceQuery {
        Map<String, String> canonical = new java.util.TreeMap<>();
        for (Map.Entry<String, String> t : Objects.requireNonNull(tags, "tags").entrySet()) {
            canonical.put(TraceAnalysis.canonicalTag(t.getKey()), Objects.requireNonNull(t.getValue(), t.getKey()));
        }
        tags = Map.copyOf(canonical);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (minDurationNs < 0 || maxDurationNs < minDurationNs) {
            throw new IllegalArgumentException("duration range is empty or negative: " + minDurationNs + ".."
                    + maxDurationNs);
        }
        if (endNs < startNs) {
            throw new IllegalArgumentException("time range ends before it starts: " + startNs + " > " + endNs);
        }
        for (String key : tags.keySet()) {
            if (!TraceAnalysis.TAG_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown tag '" + key + "'; known: " + TraceAnalysis.TAG_KEYS);
            }
        }
    }

    /** The newest {@code limit} traces, whatever they contain. */
    public static TraceQuery latest(int limit) {
        return new TraceQuery(null, null, null, null, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, Map.of(), limit);
    }
}
