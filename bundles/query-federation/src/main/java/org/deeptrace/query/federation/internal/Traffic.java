package org.deeptrace.query.federation.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What moved between the query server and one agent: requests, and bytes each way as they travel (request line,
 * headers and body; status line, headers and body — gzip-compressed bodies counted compressed), the response bodies'
 * bytes once decompressed, failures (of which timeouts) and spans received. Thread-safe.
 */
public final class Traffic {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong spansReceived = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();

    /**
     * @param received bytes on the wire (status line, headers, body as sent)
     * @param body the response body's bytes decompressed
     */
    void request(long sent, long received, long body, int spans) {
        requests.incrementAndGet();
        bytesSent.addAndGet(sent);
        bytesReceived.addAndGet(received);
        bodyBytes.addAndGet(body);
        spansReceived.addAndGet(spans);
    }

    void failure() {
        failures.incrementAndGet();
    }

    /** A request that timed out: a failure too. */
    void timeout() {
        timeouts.incrementAndGet();
        failures.incrementAndGet();
    }

    /** Failures that were timeouts (counted in {@link #failures()} too). */
    public long timeouts() {
        return timeouts.get();
    }

    /** The response bodies' bytes as the agents wrote them, before gzip. */
    public long bodyBytesReceived() {
        return bodyBytes.get();
    }

    public long requests() {
        return requests.get();
    }

    public long failures() {
        return failures.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    public long spansReceived() {
        return spansReceived.get();
    }

    /** Sent plus received. */
    public long bytes() {
        return bytesSent() + bytesReceived();
    }
}
