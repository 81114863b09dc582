package org.deeptrace.protocol.http2.internal;

import java.util.HashMap;
import java.util.Map;

/** What one end sent on one stream so far: the frames' byte range and size, and the headers decoded. */
final class StreamHalf {
    final long streamId;
    final long start;
    long end;
    long size;
    /** First value of each header name (trailers add grpc-status / grpc-message after the headers). */
    final Map<String, String> headers = new HashMap<>();
    int unknownHeaders;
    boolean sawHeaders;

    StreamHalf(long streamId, long start) {
        this.streamId = streamId;
        this.start = start;
        this.end = start;
    }

    void addFrame(long frameStart, long frameEnd) {
        end = Math.max(end, frameEnd);
        size += frameEnd - frameStart;
    }

    void addHeaders(Iterable<HpackDecoder.Header> block) {
        sawHeaders = true;
        String status = headers.get(":status");
        if (status != null && status.startsWith("1")) {
            headers.clear(); // an informational (1xx) head: the final response's headers replace it
        }
        for (HpackDecoder.Header h : block) {
            if (h.unknown()) {
                unknownHeaders++;
            } else {
                headers.putIfAbsent(h.name().toLowerCase(java.util.Locale.ROOT), h.value());
            }
        }
    }

    String header(String name) {
        return headers.get(name);
    }
}
