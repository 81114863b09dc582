package org.deeptrace.protocol.thrift.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.TraceContext;
import org.deeptrace.protocol.support.parser.PerDirectionParser;

/**
 * Thrift messages of one connection, one state machine per direction. A framed message (the framed transport or
 * THeader) ends where its frame length says (the body is skipped; only a reply's first field header and an
 * exception's message are read); an unframed one where its top-level struct ends, found by {@link StructWalker}
 * (binary, compact) or {@link JsonWalker} (JSON).
 *
 * <p>Gaps: a gap inside a frame, or inside a string of an unframed body, keeps the framing. A gap between messages
 * is reported lost; any other gap loses the framing, and the parser then waits for a chunk that starts with a
 * valid message header.
 */
final class ThriftParser extends PerDirectionParser<ThriftParser.Stream> {
    ThriftParser() {
        super(Stream::new);
    }

    /** The framing state of one direction. */
    static final class Stream implements PerDirectionParser.Direction {
        private enum State { IDLE, HEADER, BODY, RESYNC }

        /** An unframed message longer than this is taken for garbage (framed ones have MAX_FRAME). */
        static final long MAX_UNFRAMED = 64L << 20;

        private final Origin origin;
        private State state = State.IDLE;
        /** Stream offset of the next byte; -1 before the first chunk. */
        private long position = -1;

        /** The header bytes seen so far: MAX_HEADER, grown up to THeaderFrame.MAX_THEADER for a THeader frame. */
        private byte[] header = new byte[ThriftHeader.MAX_HEADER];
        private int headerFill;
        private final ThriftHeader parsed = new ThriftHeader();
        private final StructWalker structWalker = new StructWalker();
        private JsonWalker jsonWalker; // made by the first JSON message
        private BodyWalker walker = structWalker;
        private boolean walking;
        private long start;
        /** Bytes of the frame still to come (framed messages). */
        private long frameRemaining;

        Stream(Origin origin) {
            this.origin = origin;
        }

        @Override
        public void data(long offset, ByteBuffer b, MessageSink out) {
            if (position >= 0 && offset != position) {
                gap(position, -1, out); // the pipeline reports gaps; a jump anyway means lost sync
            }
            position = offset;
            if (state == State.RESYNC) {
                if (!startsLikeMessage(b)) {
                    position += b.remaining();
                    return; // skip the chunk: it does not start a message
                }
                state = State.IDLE;
            }
            while (b.hasRemaining()) {
                switch (state) {
                    case IDLE, HEADER -> readHeader(b, out);
                    case BODY -> readBody(b, out);
                    case RESYNC -> {
                        position += b.remaining();
                        b.position(b.limit());
                    }
                }
            }
        }

        @Override
        public void gap(long offset, long length, MessageSink out) {
            switch (state) {
                case IDLE -> {
                    if (length > 0) {
                        out.lost(origin, offset, offset + length);
                    }
                    resync(length);
                }
                case BODY -> {
                    if (length < 0) {
                        resync(length);
                    } else if (parsed.framed && length <= frameRemaining) {
                        walking = false; // the walk can't go on through a hole; the frame length still counts
                        frameRemaining -= length;
                        position += length;
                        if (frameRemaining == 0) {
                            emit(out);
                        }
                    } else if (!parsed.framed && walker.skipGap(length)) {
                        position += length;
                    } else {
                        resync(length);
                    }
                }
                case HEADER, RESYNC -> resync(length);
            }
        }

        private void resync(long gapLength) {
            state = State.RESYNC;
            headerFill = 0;
            walking = false;
            if (position >= 0 && gapLength >= 0) {
                position += gapLength;
            } else {
                position = -1; // unknown: the next chunk's offset is taken as is
            }
        }

        private void readHeader(ByteBuffer b, MessageSink out) {
            if (state == State.IDLE) {
                start = position;
                headerFill = 0;
                state = State.HEADER;
            }
            int n = Math.min(b.remaining(), header.length - headerFill);
            b.get(header, headerFill, n);
            headerFill += n;
            int length = parsed.parse(header, 0, headerFill);
            if (length == ThriftHeader.NEED_MORE && headerFill == header.length && parsed.wanted > header.length) {
                header = Arrays.copyOf(header, Math.min(parsed.wanted, THeaderFrame.MAX_THEADER));
            }
            if (length == ThriftHeader.NEED_MORE && headerFill < header.length) {
                position += n;
                return; // all of b was taken (or the buffer just grew: the loop in data() goes on)
            }
            if (length <= 0) {
                out.malformed(origin, "bad message header");
                position += n + b.remaining();
                b.position(b.limit());
                resync(0);
                return;
            }
            int unused = headerFill - length; // bytes past the header
            int fromThisChunk = Math.min(unused, n);
            b.position(b.position() - fromThisChunk);
            position += n - fromThisChunk;
            // A THeader frame's header may end before bytes buffered from earlier chunks (an opaque or zlib
            // payload): those are body bytes already taken.
            startBody(length, unused - fromThisChunk, out);
        }

        private void startBody(int headerLength, int early, MessageSink out) {
            state = State.BODY;
            if (parsed.framed) {
                frameRemaining = parsed.frameLength - (parsed.length - 4) - early;
                if (frameRemaining < 0) {
                    out.malformed(origin, "bad message header"); // cannot happen for a header that fits its frame
                    resync(0);
                    return;
                }
                // Framed: the length delimits; read only what the record needs from the body.
                walking = parsed.type == ThriftHeader.REPLY || parsed.type == ThriftHeader.EXCEPTION;
                resetWalker(parsed.type == ThriftHeader.REPLY);
                THeaderFrame frame = parsed.theader;
                if (walking && frame != null && frame.inflated != null) {
                    // A zlib payload: the body bytes on the wire are compressed; walk the inflated prefix instead.
                    ByteBuffer body = ByteBuffer.wrap(frame.inflated, frame.bodyFrom,
                            Math.max(0, frame.inflatedLength - frame.bodyFrom));
                    walker.feed(body);
                    walking = false;
                } else if (walking && early > 0 && walker.feed(ByteBuffer.wrap(header, headerLength, early))
                        != BodyWalker.MORE) {
                    walking = false;
                }
                if (frameRemaining == 0) {
                    emit(out);
                }
            } else {
                walking = true;
                resetWalker(false);
            }
        }

        private void resetWalker(boolean stopAtFirstField) {
            boolean exception = parsed.type == ThriftHeader.EXCEPTION;
            if (parsed.encoding == ThriftHeader.Encoding.JSON) {
                if (jsonWalker == null) {
                    jsonWalker = new JsonWalker();
                }
                jsonWalker.reset(stopAtFirstField, exception);
                walker = jsonWalker;
            } else {
                structWalker.reset(parsed.encoding == ThriftHeader.Encoding.COMPACT, stopAtFirstField, exception);
                walker = structWalker;
            }
        }

        private void readBody(ByteBuffer b, MessageSink out) {
            if (parsed.framed) {
                int n = (int) Math.min(frameRemaining, b.remaining());
                if (walking) {
                    ByteBuffer part = b.duplicate();
                    part.limit(part.position() + n);
                    if (walker.feed(part) != BodyWalker.MORE) {
                        walking = false; // done or not a struct we understand: the frame length still delimits
                    }
                }
                b.position(b.position() + n);
                position += n;
                frameRemaining -= n;
                if (frameRemaining == 0) {
                    emit(out);
                }
                return;
            }
            int before = b.position();
            int result = walker.feed(b);
            position += b.position() - before;
            if (result == BodyWalker.DONE) {
                emit(out);
            } else if (result == BodyWalker.ERROR || walker.consumed() > MAX_UNFRAMED) {
                out.malformed(origin, result == BodyWalker.ERROR ? "bad struct" : "message too large");
                position += b.remaining();
                b.position(b.limit());
                resync(0);
            }
        }

        private void emit(MessageSink out) {
            state = State.IDLE;
            headerFill = 0;
            out.message(origin, message(position - start), start, position);
        }

        private ParsedMessage message(long size) {
            THeaderFrame frame = parsed.theader;
            if (frame != null && frame.opaque) {
                return opaque(frame, size);
            }
            int type = parsed.type;
            boolean request = type == ThriftHeader.CALL || type == ThriftHeader.ONEWAY;
            ParsedMessage.Builder m = ParsedMessage.builder(ThriftProtocol.PROTOCOL,
                    request ? MessageType.REQUEST : MessageType.RESPONSE, size)
                    .version(version())
                    .requestId((long) parsed.seqid)
                    .requestResource(parsed.name)
                    .endpoint(parsed.name);
            int colon = parsed.name.indexOf(':');
            if (colon > 0) {
                m.requestDomain(parsed.name.substring(0, colon)); // TMultiplexedProtocol's "Service:method"
            }
            if (frame != null) {
                infoHeaders(frame, m);
            }
            if (request) {
                return m.requestType(ThriftHeader.typeName(type)).expectsResponse(type == ThriftHeader.CALL).build();
            }
            if (type == ThriftHeader.EXCEPTION) {
                String text = walker.exceptionMessage();
                Integer kind = walker.exceptionType();
                m.responseStatus(ResponseStatus.ERROR).responseCode(kind);
                m.responseException(text != null && !text.isEmpty() ? text
                        : "TApplicationException" + (kind == null ? "" : " type " + kind));
                return m.build();
            }
            int field = walker.firstFieldId();
            if (field == BodyWalker.NOT_SEEN) {
                return m.responseStatus(ResponseStatus.UNKNOWN).build(); // lost in a gap
            }
            if (field != 0 && field != BodyWalker.EMPTY) {
                // A declared exception: the result struct's field N. Its type name is in the IDL, not on the wire.
                return m.responseStatus(ResponseStatus.ERROR).responseException("field " + field).build();
            }
            return m.responseStatus(ResponseStatus.OK).build(); // field 0 is the return value; empty = void
        }

        private String version() {
            ThriftHeader.Encoding e = parsed.encoding;
            return parsed.theader != null ? e.headerVersion : parsed.framed ? e.framedVersion : e.bufferedVersion;
        }

        /**
         * A THeader message whose payload could not be read (a transform other than zlib, huge info headers): its
         * method and type are unknown; the direction tells a request from a response, the frame's seq id is the
         * request id (Thrift sets it to the message's seqid).
         */
        private ParsedMessage opaque(THeaderFrame frame, long size) {
            boolean request = origin == Origin.CLIENT;
            ParsedMessage.Builder m = ParsedMessage.builder(ThriftProtocol.PROTOCOL,
                    request ? MessageType.REQUEST : MessageType.RESPONSE, size)
                    .version(parsed.encoding.headerVersion)
                    .requestId((long) frame.seqid);
            infoHeaders(frame, m);
            return request ? m.build() : m.responseStatus(ResponseStatus.UNKNOWN).build();
        }

        private static void infoHeaders(THeaderFrame frame, ParsedMessage.Builder m) {
            if (frame.xRequestId != null) {
                m.xRequestId(frame.xRequestId);
            }
            if (frame.traceparent != null || frame.b3TraceId != null || frame.b3 != null || frame.uberTraceId != null
                    || frame.sw8 != null) {
                TraceContext trace = TraceContext.resolve(frame.traceparent, frame.b3TraceId, frame.b3SpanId,
                        frame.b3, frame.uberTraceId, frame.sw8);
                if (trace != null) {
                    m.traceId(trace.traceId()).spanId(trace.spanId());
                }
            }
        }

        private static boolean startsLikeMessage(ByteBuffer b) {
            int n = Math.min(b.remaining(), ThriftHeader.MAX_HEADER);
            byte[] head = new byte[n];
            b.duplicate().get(head);
            return new ThriftHeader().parse(head, 0, n) != ThriftHeader.INVALID;
        }
    }
}
