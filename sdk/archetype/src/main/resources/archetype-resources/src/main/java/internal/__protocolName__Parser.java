package ${package}.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Splits the two byte streams of one connection into messages: a header line (see {@link HeaderLine}), then a
 * body whose length the header announces. The body is skipped, not buffered, except the first bytes of an error
 * response's body, which become {@code response_exception}. Any number of messages may share a chunk
 * (pipelining) and a message may span any number of chunks.
 *
 * <p>The pipeline calls one instance from one thread at a time, so there is no locking; the state of each
 * direction is a handful of fields and one fixed-size header buffer, whatever the traffic.
 *
 * <p>Gaps (bytes sent but not captured): a gap inside a body keeps the framing, since the body's length is
 * known. A gap between two messages is reported as lost (the pipeline then stops waiting for the responses it
 * held). Any other gap, and any malformed header, loses the framing: the direction then ignores bytes until a
 * chunk starts with its own magic word ({@code REQ } from the client, {@code RES } from the server).
 */
final class ${protocolName}Parser implements ConnectionParser {
    /** Bytes of an error response's body kept as its {@code response_exception}. */
    static final int MAX_EXCEPTION = 256;

    private final Direction client = new Direction(Origin.CLIENT);
    private final Direction server = new Direction(Origin.SERVER);

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        direction(origin).data(offset, chunk, out);
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        direction(origin).gap(offset, length, out);
    }

    private Direction direction(Origin origin) {
        return origin == Origin.CLIENT ? client : server;
    }

    /** The framing state of what one end sends. */
    static final class Direction {
        private final Origin origin;
        private final HeaderLine header = new HeaderLine();
        private final byte[] line = new byte[HeaderLine.MAX_LENGTH];
        private final byte[] exception = new byte[MAX_EXCEPTION];

        private boolean inSync = true;
        /** Stream offset of the current message's first byte; -1 between messages. */
        private long messageStart = -1;
        private int lineFill;
        private boolean inBody;
        private long bodyRemaining;
        private int exceptionFill;
        /** False once a gap hid part of the kept exception text: later bytes must not be spliced onto it. */
        private boolean exceptionWhole;

        Direction(Origin origin) {
            this.origin = origin;
        }

        void data(long offset, ByteBuffer chunk, MessageSink out) {
            int start = chunk.position();
            int limit = chunk.limit();
            if (!inSync) {
                if (HeaderLine.magic(chunk, start, limit) != origin) {
                    return; // still lost: wait for a chunk that starts a message of this end
                }
                clearMessage();
                inSync = true;
            }
            int i = start;
            while (i < limit) {
                if (inBody) {
                    int n = (int) Math.min(bodyRemaining, limit - i);
                    keepException(chunk, i, n);
                    i += n;
                    bodyRemaining -= n;
                    if (bodyRemaining == 0) {
                        complete(offset + (i - start), out);
                    }
                    continue;
                }
                if (messageStart < 0) {
                    messageStart = offset + (i - start);
                }
                byte b = chunk.get(i++);
                if (b == '\n') {
                    if (!headerDone(offset + (i - start), out)) {
                        return;
                    }
                } else if (lineFill == line.length) {
                    fail("header too long", out);
                    return;
                } else {
                    line[lineFill++] = b;
                }
            }
        }

        void gap(long offset, long length, MessageSink out) {
            if (!inSync || length == 0) {
                return;
            }
            if (length > 0 && inBody && length <= bodyRemaining) {
                exceptionWhole = false;
                bodyRemaining -= length;
                if (bodyRemaining == 0) {
                    complete(offset + length, out);
                }
                return;
            }
            if (length > 0 && messageStart < 0) {
                out.lost(origin, offset, offset + length);
            }
            // Where the next message starts is unknown: the gap may end inside one.
            inSync = false;
        }

        /** The header line ended at {@code end}; false when it was malformed and the framing is lost. */
        private boolean headerDone(long end, MessageSink out) {
            String reason = header.parse(line, lineFill);
            if (reason == null && header.sender != origin) {
                reason = origin == Origin.CLIENT ? "response from the client" : "request from the server";
            }
            if (reason != null) {
                fail(reason, out);
                return false;
            }
            lineFill = 0;
            inBody = true;
            bodyRemaining = header.bodyLength;
            exceptionFill = 0;
            exceptionWhole = true;
            if (bodyRemaining == 0) {
                complete(end, out);
            }
            return true;
        }

        private void keepException(ByteBuffer chunk, int from, int n) {
            if (header.code < 400 || !exceptionWhole) {
                return;
            }
            int keep = Math.min(n, MAX_EXCEPTION - exceptionFill);
            for (int k = 0; k < keep; k++) {
                exception[exceptionFill++] = chunk.get(from + k);
            }
        }

        private void complete(long end, MessageSink out) {
            long size = end - messageStart;
            ParsedMessage.Builder m;
            if (origin == Origin.CLIENT) {
                m = ParsedMessage.builder(${protocolName}Protocol.PROTOCOL, MessageType.REQUEST, size)
                        .requestType(header.verb)
                        .requestResource(header.resource)
                        .endpoint(endpoint(header.resource));
            } else {
                m = ParsedMessage.builder(${protocolName}Protocol.PROTOCOL, MessageType.RESPONSE, size)
                        .responseCode(header.code)
                        .responseStatus(status(header.code));
                if (header.code >= 400 && exceptionFill > 0) {
                    m.responseException(new String(exception, 0, exceptionFill, StandardCharsets.UTF_8));
                }
            }
            // The id pairs a response with its request even when the server answers out of order.
            m.requestId(header.id);
            out.message(origin, m.build(), messageStart, end);
            clearMessage();
        }

        private void fail(String reason, MessageSink out) {
            out.malformed(origin, reason);
            inSync = false;
        }

        private void clearMessage() {
            messageStart = -1;
            lineFill = 0;
            inBody = false;
            bodyRemaining = 0;
            exceptionFill = 0;
        }
    }

    /** The operation used to group spans: the resource without its query string (low cardinality). */
    static String endpoint(String resource) {
        int query = resource.indexOf('?');
        return query < 0 ? resource : resource.substring(0, query);
    }

    static ResponseStatus status(int code) {
        if (code < 400) {
            return ResponseStatus.OK;
        }
        return code < 500 ? ResponseStatus.CLIENT_ERROR : ResponseStatus.SERVER_ERROR;
    }
}
