package org.deeptrace.pipeline.internal.trace;

import java.util.HashMap;
import java.util.Map;

/**
 * The TCP sequence number of each span's request (its first byte), from span assembly to trace assembly. Both ends
 * of a connection number its bytes alike, so a client span and the server span it reached carry the same number
 * whatever their hosts' clocks say. Span records have no field for it (the contract's are fixed), hence this side
 * table: an entry lives while its span travels through correlation and is taken when trace assembly lets it go, so
 * it is bounded like the spans themselves. Not thread-safe, like the pipeline.
 */
public final class RequestSequences {
    /** A span whose sequence number is unknown (no tcp_seq captured, TLS plaintext, UDP). */
    public static final long UNKNOWN = -1;

    private final Map<String, Long> bySpanId = new HashMap<>();

    public void put(String spanId, long seq) {
        if (seq >= 0) {
            bySpanId.put(spanId, seq);
        }
    }

    public long of(String spanId) {
        Long seq = bySpanId.get(spanId);
        return seq == null ? UNKNOWN : seq;
    }

    /** Forgets the span's number; returns it. */
    public long take(String spanId) {
        Long seq = bySpanId.remove(spanId);
        return seq == null ? UNKNOWN : seq;
    }

    public int size() {
        return bySpanId.size();
    }

    public void clear() {
        bySpanId.clear();
    }
}
