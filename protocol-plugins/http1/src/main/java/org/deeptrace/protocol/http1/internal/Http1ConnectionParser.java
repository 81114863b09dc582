package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * One HTTP/1 connection: a {@link StreamReader} per direction, and the methods of the requests still waiting for
 * their response (FIFO, as HTTP/1 answers in order), which the response side needs: a response to HEAD has no body
 * whatever its Content-Length says, and a 2xx to CONNECT opens a tunnel.
 */
final class Http1ConnectionParser implements ConnectionParser {

    /** More unanswered requests than this means the response side lost track; the oldest are forgotten. */
    static final int MAX_PENDING = 256;

    private final ArrayDeque<String> pendingMethods = new ArrayDeque<>();
    private final StreamReader client = new StreamReader(Origin.CLIENT, this);
    private final StreamReader server = new StreamReader(Origin.SERVER, this);

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        StreamReader reader = reader(origin);
        try {
            reader.onData(offset, chunk, out);
        } catch (RuntimeException e) {
            recover(reader, origin, out);
        }
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        StreamReader reader = reader(origin);
        try {
            reader.onGap(offset, length, out);
        } catch (RuntimeException e) {
            recover(reader, origin, out);
        }
    }

    @Override
    public void onClose(MessageSink out) {
        for (Origin origin : Origin.values()) {
            StreamReader reader = reader(origin);
            try {
                reader.onClose(out);
            } catch (RuntimeException e) {
                recover(reader, origin, out);
            }
        }
    }

    void requestSent(String method) {
        if (pendingMethods.size() == MAX_PENDING) {
            pendingMethods.pollFirst();
        }
        pendingMethods.addLast(method);
    }

    /** The method of the request a final response answers, or {@code null} when that request was not seen. */
    String responseReceived() {
        return pendingMethods.pollFirst();
    }

    /** 101 Switching Protocols, or a CONNECT tunnel: the rest of the connection is not HTTP/1. */
    void switchedProtocols() {
        client.stop();
        server.stop();
        pendingMethods.clear();
    }

    private StreamReader reader(Origin origin) {
        return origin == Origin.CLIENT ? client : server;
    }

    /**
     * A bug must not take the pipeline down: count it as malformed input and resynchronise this stream at a
     * later message start, rather than rethrow.
     */
    private static void recover(StreamReader reader, Origin origin, MessageSink out) {
        reader.abandon();
        out.malformed(origin, "parser error");
    }
}
