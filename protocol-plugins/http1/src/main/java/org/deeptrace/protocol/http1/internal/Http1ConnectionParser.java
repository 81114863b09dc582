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
    /** The Upgrade token of cleartext HTTP/2 (RFC 7540 section 3.2) and the protocol name of its parser. */
    static final String H2C = "h2c";
    static final String HTTP2 = "HTTP2";

    /** Client offset just past the last request asking to switch protocols, or -1. */
    private long switchRequestEnd = -1;
    /** That request's head was read but its body not yet. */
    private boolean switchRequestOpen;
    private boolean switchRequestH2c;
    /** A switch the server made while the request's body was still in progress: announced when it ends. */
    private long deferredServerOffset = -1;
    private String deferredProtocol;

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

    /**
     * A request asking to switch protocols ({@code Upgrade}, or {@code CONNECT}) was read up to its head: where it
     * ends is where the client's new protocol would begin.
     */
    void switchRequested(MessageHead request) {
        switchRequestOpen = true;
        switchRequestEnd = -1;
        switchRequestH2c = request.upgradesTo(H2C);
    }

    /** The request asking to switch ended at client offset {@code end}. */
    void switchRequestEnded(long end, MessageSink out) {
        switchRequestOpen = false;
        switchRequestEnd = end;
        if (deferredServerOffset >= 0) {
            long serverOffset = deferredServerOffset;
            deferredServerOffset = -1;
            client.stop();
            out.protocolSwitched(deferredProtocol, end, serverOffset);
        }
    }

    /**
     * 101 Switching Protocols, or a CONNECT tunnel: the rest of the connection is not HTTP/1. The pipeline is told
     * where the new protocol starts in both directions (the end of the request that asked, the end of this
     * response) and which one it is: HTTP2 for {@code h2c}; for a tunnel it infers it (often TLS). Other upgrades
     * (WebSocket, ...) have no parser: the connection just stops being parsed, as before the switch was reported.
     *
     * @param response the 101 response, or null for a tunnel
     * @param serverOffset the server offset just past the response
     */
    void switchedProtocols(MessageHead response, long serverOffset, MessageSink out) {
        server.stop();
        pendingMethods.clear();
        boolean announce;
        String protocol;
        if (response == null) {
            announce = true;
            protocol = null;
        } else {
            announce = switchRequestH2c && response.upgradesTo(H2C);
            protocol = HTTP2;
        }
        if (announce && switchRequestOpen) {
            // RFC 7540 3.2: the request's body is sent in full before the new protocol; announce when it ends.
            deferredServerOffset = serverOffset;
            deferredProtocol = protocol;
            return;
        }
        client.stop();
        if (announce && switchRequestEnd >= 0) {
            out.protocolSwitched(protocol, switchRequestEnd, serverOffset);
        }
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
