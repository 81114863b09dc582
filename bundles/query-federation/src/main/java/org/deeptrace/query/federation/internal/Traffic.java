package org.deeptrace.query.federation.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What moved between the query server and one agent: requests, and bytes each way as they travel (request line,
 * headers and body; status line, headers and body — gzip-compressed bodies counted compressed). Thread-safe.
 */
public final class Traffic {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong spansReceived = new AtomicLong();

    void request(long sent, long received, int spans) {
        requests.incrementAndGet();
        bytesSent.addAndGet(sent);
        bytesReceived.addAndGet(received);
        spansReceived.addAndGet(spans);
    }

    void failure() {
        failures.incrementAndGet();
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
