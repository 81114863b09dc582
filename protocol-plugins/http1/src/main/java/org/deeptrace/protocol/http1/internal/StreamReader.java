package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Splits one direction of an HTTP/1 connection into messages, incrementally: heads are buffered (up to
 * {@link #MAX_HEAD} bytes), bodies are only counted, never copied.
 *
 * <p>States: {@code START} between messages; {@code HEAD} collecting the start line and headers; {@code BODY}
 * counting down a Content-Length; {@code CHUNKED} following chunk framing; {@code UNTIL_CLOSE} a response body
 * that ends with the connection; {@code RESYNC} after lost sync, waiting for a chunk that starts like a message;
 * {@code STOPPED} after a protocol switch or the close.
 *
 * <p>Offsets: {@code pos} is the stream offset just past the last byte accounted for; the stream offset of
 * buffer index {@code i} in the current chunk is {@code base + i}.
 */
final class StreamReader {

    /** Largest start line plus header section accepted; beyond it the bytes are not taken for HTTP. */
    static final int MAX_HEAD = 64 * 1024;

    static final String UNKNOWN_GAP = "gap of unknown length";
    static final String GAP_IN_HEAD = "gap in message head";

    private enum State { START, HEAD, BODY, CHUNKED, UNTIL_CLOSE, RESYNC, STOPPED }

    private final Origin origin;
    private final Http1ConnectionParser connection;
    private final HeadBuffer head = new HeadBuffer(MAX_HEAD);
    private final HeadParser headParser = new HeadParser();
    private final StartLineValidator startLine;
    private final ChunkedBody chunkedBody = new ChunkedBody(MAX_HEAD);

    private State state = State.START;
    private boolean started;
    private long pos;
    /** Stream offset of the current message's first byte. */
    private long start;
    /** Bytes of the current message so far, captured or skipped in gaps. */
    private long consumed;
    private boolean startLineDone;
    /** Non-CR bytes in the current header line: 0 at a LF means the empty line that ends the head. */
    private int lineLength;
    private MessageHead current;
    private long headBytes;
    private long bodyRemaining;
    /** Client side: the last request asked to switch protocols, so bytes that are not HTTP may be the new one. */
    private boolean upgradeRequested;

    StreamReader(Origin origin, Http1ConnectionParser connection) {
        this.origin = origin;
        this.connection = connection;
        this.startLine = new StartLineValidator(origin == Origin.CLIENT);
    }

    void onData(long offset, ByteBuffer chunk, MessageSink out) {
        int from = chunk.position();
        int to = chunk.limit();
        if (state == State.STOPPED || from >= to) {
            return;
        }
        if (started && offset != pos && state != State.RESYNC) {
            if (offset > pos) {
                onGap(pos, offset - pos, out); // bytes nobody reported: a gap all the same
            } else {
                loseSync("stream offsets out of order", out);
            }
        }
        started = true;
        long base = offset - from;
        pos = offset;
        if (state == State.RESYNC) {
            if (!MessageStart.looksLikeStart(origin, chunk, from, to)) {
                pos = base + to;
                return;
            }
            state = State.START;
        }
        int i = from;
        while (i < to) {
            switch (state) {
                case START -> i = startMessage(chunk, i, to, base);
                case HEAD -> i = readHead(chunk, i, to, base, out);
                case BODY -> i = readBody(i, to, base, out);
                case CHUNKED -> i = readChunked(chunk, i, to, base, out);
                case UNTIL_CLOSE -> {
                    consumed += to - i;
                    i = to;
                }
                default -> i = to; // RESYNC or STOPPED: the rest of this chunk is dropped
            }
        }
        pos = base + to;
    }

    void onGap(long offset, long length, MessageSink out) {
        if (state == State.STOPPED || state == State.RESYNC || length == 0) {
            if (length > 0) {
                pos = offset + length;
            }
            return;
        }
        if (started && offset != pos) {
            // The gap runs from the end of what this reader saw: bytes skipped unreported before it are missing
            // too, bytes it overlaps were already seen.
            if (length > 0) {
                length = Math.max(0, length + offset - pos);
                if (length == 0) {
                    return;
                }
            }
            offset = pos;
        }
        started = true;
        pos = offset;
        switch (state) {
            case BODY -> {
                if (length < 0) {
                    loseSync(UNKNOWN_GAP, out);
                } else if (length <= bodyRemaining) {
                    bodyRemaining -= length;
                    consumed += length;
                    pos = offset + length;
                    if (bodyRemaining == 0) {
                        complete(out);
                    }
                } else {
                    // The body ended inside the gap, and the next message began there: its head is lost.
                    consumed += bodyRemaining;
                    pos = offset + bodyRemaining;
                    complete(out);
                    loseSync(GAP_IN_HEAD, out);
                }
            }
            case CHUNKED -> {
                if (length >= 0 && chunkedBody.skip(length)) {
                    consumed += length;
                } else {
                    loseSync(length < 0 ? UNKNOWN_GAP : "gap in chunk framing", out);
                }
            }
            case UNTIL_CLOSE -> {
                if (length > 0) {
                    consumed += length; // an unknown gap leaves the size a lower bound; the body still ends at close
                }
            }
            case START -> {
                if (length > 0) {
                    // Between two messages: the gap held whole messages. Nothing was cut, nothing is malformed;
                    // the next message starts at a later chunk.
                    out.lost(origin, offset, offset + length);
                    resync();
                } else {
                    loseSync(UNKNOWN_GAP, out);
                }
            }
            default -> loseSync(length < 0 ? UNKNOWN_GAP : GAP_IN_HEAD, out); // HEAD
        }
        if (length > 0) {
            pos = offset + length;
        }
    }

    /** End of the stream: a body delimited by the close is complete now; others are reported as far as seen. */
    void onClose(MessageSink out) {
        emitInProgress(out);
        state = State.STOPPED;
    }

    /** The connection switched protocols: nothing more on it is HTTP/1. */
    void stop() {
        state = State.STOPPED;
        current = null;
    }

    private int startMessage(ByteBuffer b, int i, int to, long base) {
        while (i < to && (b.get(i) == Ascii.CR || b.get(i) == Ascii.LF)) {
            i++; // empty lines between messages are tolerated (RFC 9112, section 2.2)
        }
        if (i < to) {
            state = State.HEAD;
            start = base + i;
            consumed = 0;
            head.clear();
            startLine.reset();
            startLineDone = false;
            lineLength = 0;
            current = null;
        }
        return i;
    }

    private int readHead(ByteBuffer b, int from, int to, long base, MessageSink out) {
        int limit = Math.min(to, from + head.room());
        int i = from;
        boolean complete = false;
        while (i < limit) {
            byte c = b.get(i++);
            if (!startLineDone) {
                int verdict = startLine.feed(c);
                if (verdict == StartLineValidator.INVALID) {
                    pos = base + i;
                    if (upgradeRequested) {
                        state = State.RESYNC; // most likely the protocol the client switched to
                    } else {
                        loseSync("invalid start line", out);
                    }
                    return to;
                }
                startLineDone = verdict == StartLineValidator.DONE;
            } else if (c == Ascii.LF) {
                if (lineLength == 0) {
                    complete = true;
                    break;
                }
                lineLength = 0;
            } else if (c != Ascii.CR) {
                lineLength++;
            }
        }
        head.append(b, from, i - from);
        consumed += i - from;
        pos = base + i;
        if (complete) {
            headComplete(out);
        } else if (head.room() == 0) {
            loseSync("header section too large", out);
            return to;
        }
        return state == State.RESYNC ? to : i;
    }

    private void headComplete(MessageSink out) {
        MessageHead h = headParser.parse(head.array(), head.length(), origin == Origin.CLIENT, true);
        if (h == null) {
            out.malformed(origin, headParser.error());
            resync();
            return;
        }
        current = h;
        headBytes = consumed;
        if (h.isRequest()) {
            connection.requestSent(h.method());
            upgradeRequested = h.upgrade() != null && !"CONNECT".equals(h.method());
            if (h.upgrade() != null || "CONNECT".equals(h.method())) {
                connection.switchRequested(h);
            }
            if (h.chunked()) {
                startChunked();
            } else if (h.otherCoding()) {
                // RFC 9112 6.3: the length of such a request cannot be determined; servers reject it.
                emit(out, consumed);
                out.malformed(origin, "unsupported transfer-encoding");
                resync();
            } else if (h.contentLength() > 0) {
                bodyRemaining = h.contentLength();
                state = State.BODY;
            } else {
                complete(out);
            }
            return;
        }
        if (h.isInformational()) {
            complete(out); // 100 Continue, 103 Early Hints: a session message; the final response follows
            if (h.status() == 101) {
                connection.switchedProtocols(h, pos, out);
            }
            return;
        }
        String method = connection.responseReceived();
        boolean tunnel = "CONNECT".equals(method) && h.status() / 100 == 2;
        if ("HEAD".equals(method) || h.status() == 204 || h.status() == 304 || tunnel) {
            complete(out);
            if (tunnel) {
                connection.switchedProtocols(null, pos, out);
            }
        } else if (h.chunked()) {
            startChunked();
        } else if (h.otherCoding() || h.contentLength() < 0) {
            state = State.UNTIL_CLOSE;
        } else if (h.contentLength() > 0) {
            bodyRemaining = h.contentLength();
            state = State.BODY;
        } else {
            complete(out);
        }
    }

    private int readBody(int i, int to, long base, MessageSink out) {
        int n = (int) Math.min(bodyRemaining, to - i);
        i += n;
        bodyRemaining -= n;
        consumed += n;
        if (bodyRemaining == 0) {
            pos = base + i;
            complete(out);
        }
        return i;
    }

    private int readChunked(ByteBuffer b, int from, int to, long base, MessageSink out) {
        int i = chunkedBody.consume(b, from, to);
        consumed += i - from;
        pos = base + i;
        if (chunkedBody.done()) {
            complete(out);
        } else if (chunkedBody.error() != null) {
            loseSync(chunkedBody.error(), out);
            return to;
        }
        return i;
    }

    private void startChunked() {
        chunkedBody.reset();
        state = State.CHUNKED;
    }

    /** The current message ends at {@code pos}. */
    private void complete(MessageSink out) {
        MessageHead done = current;
        emit(out, consumed);
        current = null;
        state = State.START;
        if (done.isRequest() && (done.upgrade() != null || "CONNECT".equals(done.method()))) {
            connection.switchRequestEnded(pos, out);
        }
    }

    private void emit(MessageSink out, long size) {
        out.message(origin, Http1Messages.toParsed(current, size), start, pos);
    }

    /**
     * The stream can no longer be followed: report the message in progress as far as it is known, then wait for
     * a chunk that starts like a message.
     */
    private void loseSync(String reason, MessageSink out) {
        emitInProgress(out);
        out.malformed(origin, reason);
        resync();
    }

    /** Drops the message in progress and waits for a chunk that starts like a message. */
    void abandon() {
        resync();
    }

    private void resync() {
        state = State.RESYNC;
        current = null;
        upgradeRequested = false;
    }

    /** Emits the message in progress, ending at {@code pos}: what a lost sync or the close leaves of it. */
    private void emitInProgress(MessageSink out) {
        switch (state) {
            case HEAD -> emitPartialHead(out);
            case BODY -> emit(out, headBytes + current.contentLength()); // the wire size is known
            case CHUNKED, UNTIL_CLOSE -> emit(out, consumed);
            default -> {
                return;
            }
        }
        current = null;
        state = State.START;
    }

    /** A head cut short: its complete lines still name the method and target, or the status. */
    private void emitPartialHead(MessageSink out) {
        if (!startLineDone) {
            return;
        }
        MessageHead h = headParser.parse(head.array(), head.length(), origin == Origin.CLIENT, false);
        if (h == null) {
            return;
        }
        if (h.isRequest()) {
            connection.requestSent(h.method());
        } else if (!h.isInformational()) {
            connection.responseReceived();
        }
        current = h;
        emit(out, consumed);
    }
}
