package org.deeptrace.protocol.fastcgi.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.TraceContext;
import org.deeptrace.protocol.support.parser.PerDirectionParser;

/**
 * FastCGI records of one connection, one record reader per direction, and the requests in progress by request id
 * (a connection may multiplex them). A request is BEGIN_REQUEST, PARAMS up to the empty PARAMS record and STDIN up
 * to the empty STDIN record (a FILTER's DATA, an AUTHORIZER has none); it is reported when its last record
 * arrives. A response is its STDOUT and STDERR records and END_REQUEST, reported with END_REQUEST. Records are
 * delimited by their content and padding lengths: bodies are skipped, only PARAMS (bounded), the CGI headers at
 * the start of STDOUT and the first line of STDERR are kept.
 *
 * <p>Gaps: one inside a record's content or padding keeps the framing (what it hid is missing from the record);
 * one between messages is reported lost; any other loses the framing, and the reader then waits for a chunk that
 * starts with a plausible record header.
 */
final class FcgiParser extends PerDirectionParser<FcgiParser.Reader> {
    /** Requests and responses in progress per direction; beyond this the oldest is forgotten. */
    static final int MAX_IN_PROGRESS = 256;
    /** PARAMS bytes kept per request (nginx sends about 1 KB). */
    static final int MAX_PARAMS = 32 * 1024;
    /** STDOUT bytes kept to find the CGI headers' Status line. */
    static final int MAX_CGI_HEADERS = 4 * 1024;
    /** STDERR bytes kept for the response's exception text. */
    static final int MAX_STDERR = 256;

    FcgiParser() {
        super(Reader::new);
    }

    /** What is known so far of one request or response. */
    private static final class Exchange {
        long start = -1;
        long size;
        int role = FcgiRecord.ROLE_RESPONDER;
        byte[] params;
        int paramsLength;
        boolean paramsDamaged;
        FcgiParams decoded;
        byte[] stdout;
        int stdoutLength;
        boolean sawStdout;
        byte[] stderr;
        int stderrLength;
    }

    /** Record reader of one direction. */
    static final class Reader implements PerDirectionParser.Direction {
        private enum State { HEADER, CONTENT, PADDING, RESYNC }

        private final Origin origin;
        private final Map<Integer, Exchange> inProgress = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Exchange> eldest) {
                return size() > MAX_IN_PROGRESS;
            }
        };
        private State state = State.HEADER;
        private long position = -1;
        private long lastEnd;

        private final byte[] header = new byte[FcgiRecord.HEADER];
        private int headerFill;
        private long recordStart;
        private int type;
        private int requestId;
        private int contentLength;
        private int contentRemaining;
        private int paddingRemaining;
        private final byte[] body = new byte[8]; // BEGIN_REQUEST and END_REQUEST bodies
        private int bodyFill;
        private Exchange current;

        Reader(Origin origin) {
            this.origin = origin;
        }

        @Override
        public void data(long offset, ByteBuffer b, MessageSink out) {
            if (position >= 0 && offset != position) {
                gap(position, -1, out);
            }
            position = offset;
            if (state == State.RESYNC) {
                if (!startsLikeRecord(b)) {
                    position += b.remaining();
                    return;
                }
                state = State.HEADER;
                headerFill = 0;
            }
            while (b.hasRemaining() && state != State.RESYNC) {
                switch (state) {
                    case HEADER -> readHeader(b, out);
                    case CONTENT -> readContent(b, out);
                    case PADDING -> {
                        int n = Math.min(paddingRemaining, b.remaining());
                        b.position(b.position() + n);
                        position += n;
                        paddingRemaining -= n;
                        if (paddingRemaining == 0) {
                            recordDone(out);
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            position += b.remaining(); // what is left after a resync
        }

        @Override
        public void gap(long offset, long length, MessageSink out) {
            long left = (long) contentRemaining + paddingRemaining;
            if (length >= 0 && (state == State.CONTENT || state == State.PADDING) && length <= left) {
                // Inside the record: the framing holds; what the gap hid is missing from the record.
                if (current != null && (type == FcgiRecord.PARAMS && contentRemaining > 0)) {
                    current.paramsDamaged = true;
                }
                long inContent = Math.min(length, contentRemaining);
                contentRemaining -= (int) inContent;
                paddingRemaining -= (int) (length - inContent);
                if (inContent > 0) {
                    bodyFill = -1; // a BEGIN/END body with a hole is not read
                }
                position += length;
                if (contentRemaining == 0 && state == State.CONTENT) {
                    state = paddingRemaining > 0 ? State.PADDING : State.HEADER;
                    if (state == State.HEADER) {
                        recordDone(out);
                    }
                } else if (state == State.PADDING && paddingRemaining == 0) {
                    recordDone(out);
                }
                return;
            }
            if (state == State.HEADER && headerFill == 0 && inProgress.isEmpty() && length > 0) {
                out.lost(origin, offset, offset + length);
            }
            state = State.RESYNC;
            headerFill = 0;
            current = null;
            position = position >= 0 && length >= 0 ? position + length : -1;
        }

        private void readHeader(ByteBuffer b, MessageSink out) {
            if (headerFill == 0) {
                recordStart = position;
            }
            int n = Math.min(FcgiRecord.HEADER - headerFill, b.remaining());
            b.get(header, headerFill, n);
            headerFill += n;
            position += n;
            if (headerFill < FcgiRecord.HEADER) {
                return;
            }
            headerFill = 0;
            if (!FcgiRecord.plausibleHeader(header, 0)) {
                out.malformed(origin, "bad record header");
                state = State.RESYNC;
                current = null;
                return;
            }
            type = header[1] & 0xff;
            requestId = FcgiRecord.requestId(header, 0);
            contentLength = FcgiRecord.contentLength(header, 0);
            contentRemaining = contentLength;
            paddingRemaining = FcgiRecord.paddingLength(header, 0);
            bodyFill = 0;
            current = exchangeFor();
            if (current != null) {
                if (current.start < 0) {
                    current.start = Math.max(recordStart, lastEnd);
                }
                current.size += FcgiRecord.HEADER + contentLength + paddingRemaining;
            }
            state = contentRemaining > 0 ? State.CONTENT : paddingRemaining > 0 ? State.PADDING : State.HEADER;
            if (state == State.HEADER) {
                recordDone(out);
            }
        }

        /** The request or response the record belongs to; null for management records. */
        private Exchange exchangeFor() {
            if (requestId == 0) {
                return null;
            }
            if (type == FcgiRecord.BEGIN_REQUEST) {
                Exchange fresh = new Exchange(); // a new request, even when an id is reused (nginx keepalive)
                inProgress.put(requestId, fresh);
                return fresh;
            }
            return inProgress.computeIfAbsent(requestId, id -> new Exchange());
        }

        private void readContent(ByteBuffer b, MessageSink out) {
            int n = Math.min(contentRemaining, b.remaining());
            if (current != null) {
                keep(b, n);
            }
            b.position(b.position() + n);
            position += n;
            contentRemaining -= n;
            if (contentRemaining == 0) {
                state = paddingRemaining > 0 ? State.PADDING : State.HEADER;
                if (state == State.HEADER) {
                    recordDone(out);
                }
            }
        }

        /** Copies what the records use of {@code n} content bytes at the buffer's position (which stays). */
        private void keep(ByteBuffer b, int n) {
            int at = b.position();
            switch (type) {
                case FcgiRecord.BEGIN_REQUEST, FcgiRecord.END_REQUEST -> {
                    if (bodyFill >= 0) {
                        int k = Math.min(n, body.length - bodyFill);
                        b.get(at, body, bodyFill, k);
                        bodyFill += k;
                    }
                }
                case FcgiRecord.PARAMS -> {
                    Exchange e = current;
                    if (e.params == null) {
                        e.params = new byte[Math.min(MAX_PARAMS, Math.max(1024, contentLength))];
                    }
                    int room = MAX_PARAMS - e.paramsLength;
                    if (n > room) {
                        e.paramsDamaged = true;
                    }
                    int k = Math.min(n, room);
                    if (e.paramsLength + k > e.params.length) {
                        e.params = Arrays.copyOf(e.params, Math.min(MAX_PARAMS,
                                Math.max(e.params.length * 2, e.paramsLength + k)));
                    }
                    b.get(at, e.params, e.paramsLength, k);
                    e.paramsLength += k;
                }
                case FcgiRecord.STDOUT -> {
                    Exchange e = current;
                    e.sawStdout = true;
                    if (e.stdout == null) {
                        e.stdout = new byte[MAX_CGI_HEADERS];
                    }
                    int k = Math.min(n, MAX_CGI_HEADERS - e.stdoutLength);
                    b.get(at, e.stdout, e.stdoutLength, k);
                    e.stdoutLength += k;
                }
                case FcgiRecord.STDERR -> {
                    Exchange e = current;
                    if (e.stderr == null) {
                        e.stderr = new byte[MAX_STDERR];
                    }
                    int k = Math.min(n, MAX_STDERR - e.stderrLength);
                    b.get(at, e.stderr, e.stderrLength, k);
                    e.stderrLength += k;
                }
                default -> {
                    // STDIN, DATA: the body is skipped
                }
            }
        }

        private void recordDone(MessageSink out) {
            state = State.HEADER;
            Exchange e = current;
            current = null;
            if (e == null) {
                return; // management records (GET_VALUES, ...) carry no request
            }
            long end = position;
            boolean empty = contentLength == 0;
            switch (type) {
                case FcgiRecord.BEGIN_REQUEST -> {
                    if (bodyFill == 8) {
                        e.role = (body[0] & 0xff) << 8 | body[1] & 0xff;
                    }
                }
                case FcgiRecord.PARAMS -> {
                    if (empty) {
                        e.decoded = FcgiParams.decode(e.params == null ? new byte[0] : e.params, e.paramsLength);
                        e.params = null;
                        if (e.role == FcgiRecord.ROLE_AUTHORIZER) {
                            emitRequest(e, end, out);
                        }
                    }
                }
                case FcgiRecord.STDIN -> {
                    if (empty && e.role != FcgiRecord.ROLE_FILTER && e.role != FcgiRecord.ROLE_AUTHORIZER) {
                        emitRequest(e, end, out);
                    }
                }
                case FcgiRecord.DATA -> {
                    if (empty && e.role == FcgiRecord.ROLE_FILTER) {
                        emitRequest(e, end, out);
                    }
                }
                case FcgiRecord.END_REQUEST -> emitResponse(e, end, out);
                default -> {
                    // ABORT_REQUEST: the application still answers with END_REQUEST; STDOUT/STDERR: kept above
                }
            }
        }

        private void emitRequest(Exchange e, long end, MessageSink out) {
            inProgress.remove(requestId);
            FcgiParams p = e.decoded != null ? e.decoded
                    : e.params != null ? FcgiParams.decode(e.params, e.paramsLength) : new FcgiParams();
            ParsedMessage.Builder m = ParsedMessage.builder(FcgiProtocol.PROTOCOL, MessageType.REQUEST, e.size)
                    .version("1")
                    .requestId((long) requestId)
                    .requestType(p.method)
                    .requestDomain(p.host != null ? p.host : p.serverName)
                    .xRequestId(p.xRequestId);
            String resource = p.requestUri;
            if (resource == null && p.scriptName != null) {
                resource = p.queryString == null || p.queryString.isEmpty() ? p.scriptName
                        : p.scriptName + "?" + p.queryString;
            }
            if (resource != null) {
                int query = resource.indexOf('?');
                m.requestResource(resource).endpoint(query >= 0 ? resource.substring(0, query) : resource);
            }
            TraceContext trace = TraceContext.resolve(p.traceparent, p.b3TraceId, p.b3SpanId, p.b3, p.uberTraceId,
                    p.sw8);
            if (trace != null) {
                m.traceId(trace.traceId()).spanId(trace.spanId());
            }
            emit(m.build(), e, end, out);
        }

        private void emitResponse(Exchange e, long end, MessageSink out) {
            inProgress.remove(requestId);
            ParsedMessage.Builder m = ParsedMessage.builder(FcgiProtocol.PROTOCOL, MessageType.RESPONSE, e.size)
                    .version("1")
                    .requestId((long) requestId);
            int protocolStatus = bodyFill == 8 ? body[4] & 0xff : 0;
            Integer code = e.sawStdout ? CgiStatus.code(e.stdout, e.stdoutLength) : null;
            m.responseCode(code);
            String stderr = firstLine(e.stderr, e.stderrLength);
            if (protocolStatus != 0) {
                m.responseStatus(ResponseStatus.ERROR).responseException(protocolStatusName(protocolStatus));
            } else {
                m.responseStatus(code == null ? ResponseStatus.UNKNOWN
                        : code >= 500 ? ResponseStatus.SERVER_ERROR
                        : code >= 400 ? ResponseStatus.CLIENT_ERROR : ResponseStatus.OK);
                m.responseException(stderr);
            }
            emit(m.build(), e, end, out);
        }

        private void emit(ParsedMessage message, Exchange e, long end, MessageSink out) {
            long start = Math.max(e.start < 0 ? recordStart : e.start, lastEnd);
            lastEnd = end;
            out.message(origin, message, start, end);
        }

        private static String firstLine(byte[] b, int length) {
            if (b == null || length == 0) {
                return null;
            }
            int end = 0;
            while (end < length && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            String line = new String(b, 0, end, StandardCharsets.UTF_8).trim();
            return line.isEmpty() ? null : line;
        }

        private static String protocolStatusName(int status) {
            return switch (status) {
                case 1 -> "FCGI_CANT_MPX_CONN";
                case 2 -> "FCGI_OVERLOADED";
                case 3 -> "FCGI_UNKNOWN_ROLE";
                default -> "protocol status " + status;
            };
        }

        private static boolean startsLikeRecord(ByteBuffer b) {
            if (b.remaining() < FcgiRecord.HEADER) {
                return false;
            }
            byte[] head = new byte[FcgiRecord.HEADER];
            b.duplicate().get(head);
            return FcgiRecord.plausibleHeader(head, 0);
        }
    }
}
