package org.deeptrace.rest.internal;

import java.util.function.Function;
import org.deeptrace.api.store.SpanQuery;

/** Turns the query string of {@code GET /api/spans} into a {@link SpanQuery}, refusing bad values with 400. */
final class SpanQueryParams {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private SpanQueryParams() {
    }

    /** @param params one value per parameter name, null when absent */
    static SpanQuery parse(Function<String, String> params) {
        int limit = intParam(params, "limit", DEFAULT_LIMIT, MAX_LIMIT);
        int pid = intParam(params, "pid", 0, Integer.MAX_VALUE);
        return new SpanQuery(text(params, "protocol"), text(params, "endpoint"), pid, limit);
    }

    private static String text(Function<String, String> params, String name) {
        String value = params.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    static int intParam(Function<String, String> params, String name, int absent, int max) {
        String value = text(params, name);
        if (value == null) {
            return absent;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, not '" + value + "'");
        }
        if (n < 0 || n > max) {
            throw ApiException.badRequest(name + " must be between 0 and " + max + ", not " + n);
        }
        return (int) n;
    }
}
