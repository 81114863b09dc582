package org.deeptrace.rest.internal;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;

/**
 * The query parameters of {@code GET /api/traces}, {@code /api/dependencies} and
 * {@code /api/endpoints/{service}/latency}, refusing bad values with a 400 that names the parameter. Times are
 * epoch milliseconds or ISO-8601 instants ({@code 2026-11-25T18:00:00Z}, offsets allowed).
 */
final class TraceQueryParams {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1_000;
    private static final BigDecimal NS_PER_MS = BigDecimal.valueOf(1_000_000);

    private TraceQueryParams() {
    }

    /**
     * @param params one value per parameter name, null when absent
     * @param all every value of a parameter name, null when absent ({@code tag} may repeat)
     */
    static TraceQuery parse(Function<String, String> params, Function<String, String[]> all) {
        long minNs = durationMs(params, "minDurationMs", 0);
        long maxNs = durationMs(params, "maxDurationMs", Long.MAX_VALUE);
        if (maxNs < minNs) {
            throw ApiException.badRequest("maxDurationMs must not be below minDurationMs");
        }
        long[] range = range(params);
        Map<String, String> tags = new LinkedHashMap<>();
        String[] tagValues = all.apply("tag");
        if (tagValues != null) {
            for (String t : tagValues) {
                int sep = t.indexOf(':');
                if (sep <= 0) {
                    throw ApiException.badRequest("tag must be key:value, not '" + t + "'");
                }
                String key = TraceAnalysis.canonicalTag(t.substring(0, sep).strip());
                if (!TraceAnalysis.TAG_KEYS.contains(key)) {
                    throw ApiException.badRequest("tag key '" + t.substring(0, sep).strip() + "' is unknown; use one of "
                            + new java.util.TreeSet<>(TraceAnalysis.TAG_KEYS) + ", service or peer");
                }
                tags.put(key, t.substring(sep + 1).strip());
            }
        }
        int limit = SpanQueryParams.intParam(params, "limit", DEFAULT_LIMIT, MAX_LIMIT);
        return new TraceQuery(text(params, "service"), text(params, "endpoint"), text(params, "protocol"),
                status(params), minNs, maxNs, range[0], range[1], tags, limit);
    }

    /** {@code start} and {@code end} in ns; absent ones open the range ({@code 0}, {@link Long#MAX_VALUE}). */
    static long[] range(Function<String, String> params) {
        long start = time(params, "start", 0);
        long end = time(params, "end", Long.MAX_VALUE);
        if (end < start) {
            throw ApiException.badRequest("end must not be before start");
        }
        return new long[] {start, end};
    }

    static String text(Function<String, String> params, String name) {
        String value = params.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static ResponseStatus status(Function<String, String> params) {
        String value = text(params, "status");
        if (value == null) {
            return null;
        }
        try {
            return ResponseStatus.fromWireName(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status must be ok, client_error, server_error, error or unknown, not '"
                    + value + "'");
        }
    }

    private static long durationMs(Function<String, String> params, String name, long absent) {
        String value = text(params, name);
        if (value == null) {
            return absent;
        }
        try {
            BigDecimal ms = new BigDecimal(value);
            if (ms.signum() < 0) {
                throw ApiException.badRequest(name + " must not be negative, not " + value);
            }
            return ms.multiply(NS_PER_MS).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number of milliseconds, not '" + value + "'");
        }
    }

    /** Epoch milliseconds or an ISO-8601 instant, as nanoseconds since the epoch. */
    static long time(Function<String, String> params, String name, long absent) {
        String value = text(params, name);
        if (value == null) {
            return absent;
        }
        Instant instant;
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                instant = Instant.ofEpochMilli(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name + " is out of range: '" + value + "'");
            }
        } else {
            try {
                instant = OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeException e) {
                throw ApiException.badRequest(name + " must be epoch milliseconds or an ISO-8601 time such as "
                        + "2026-11-25T18:00:00Z, not '" + value + "'");
            }
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException e) {
            throw ApiException.badRequest(name + " is out of range: '" + value + "'");
        }
    }
}
