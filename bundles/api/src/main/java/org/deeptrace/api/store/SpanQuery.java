package org.deeptrace.api.store;

/**
 * Which spans to return, newest first. Null criteria match everything.
 *
 * @param protocol exact protocol name
 * @param endpoint exact endpoint
 * @param tgid process id, or 0 for all
 * @param limit at most this many spans
 */
public record SpanQuery(String protocol, String endpoint, int tgid, int limit) {
    public SpanQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }

    public static SpanQuery latest(int limit) {
        return new SpanQuery(null, null, 0, limit);
    }
}
