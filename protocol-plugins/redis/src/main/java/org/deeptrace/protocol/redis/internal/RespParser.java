package org.deeptrace.protocol.redis.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * RESP2 and RESP3 framing, one state machine per direction. Messages end where the lengths RESP announces say
 * they end: the parser reads type lines byte by byte and skips bulk bodies without buffering them, keeping only the
 * first two arguments of a command (the command and its key) and the message of an error reply. Any number of
 * messages may share a chunk (pipelining).
 *
 * <p>Gaps: a gap inside a bulk body keeps the framing (its length is known). A gap between messages is reported
 * lost. Any other gap falls inside a message (a reply bigger than the capture's payload prefix, whose nested
 * arrays give no length to skip by): the message ends there and is reported with what is known (a reply with
 * status {@code unknown}), and the parser then waits for a chunk that starts with a complete RESP value. On the
 * server side it also waits for a request still unanswered (while the client's stream is known whole), so that
 * the rest of a cut reply is not taken for the replies to the requests that follow it.
 */
final class RespParser implements ConnectionParser {
    private final Map<Origin, Stream> streams = new EnumMap<>(Origin.class);
    /** Whether the client switched the connection to RESP3 ({@code HELLO 3}): shared by both directions. */
    private final boolean[] resp3 = new boolean[1];
    /** Requests and replies seen, to resync the server's stream in step with the client's: shared. */
    private final Pairing pairing = new Pairing();

    RespParser() {
        for (Origin o : Origin.values()) {
            streams.put(o, new Stream(o, resp3, pairing));
        }
    }

    /** Requests still waiting for a reply, while the client's stream is known whole. */
    static final class Pairing {
        /** Requests that expect a reply minus replies (never below 0: the capture may start mid-connection). */
        long pending;
        boolean seenRequest;
        /** Requests may have been lost: the count says nothing any more. */
        boolean unknown;

        /**
         * Whether a reply may follow now: some request is still unanswered, or the count is not known (no request
         * seen at all, or some lost).
         */
        boolean replyExpected() {
            return unknown || !seenRequest || pending > 0;
        }
    }

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        streams.get(origin).data(offset, chunk.duplicate(), out);
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        streams.get(origin).gap(offset, length, out);
    }

    /** The framing state of one direction. */
    static final class Stream {
        /** Nesting deeper than this is treated as garbage (real replies nest a few levels). */
        static final int MAX_DEPTH = 64;
        /** Longest line accepted: inline commands and simple strings; RESP's own limit for inline is 64 KiB. */
        static final int MAX_LINE = 64 * 1024;
        /** Bytes of a line kept (the rest is counted, not stored). */
        static final int LINE_KEEP = 512;
        /** Bytes kept of a captured argument or error message. */
        static final int CAPTURE = 256;
        /** Largest bulk length accepted (Redis's proto-max-bulk-len can be raised; 4 GiB is far beyond use). */
        static final long MAX_BULK = 1L << 32;

        private final Origin origin;
        private boolean inSync = true;

        private final byte[] line = new byte[LINE_KEEP];
        private int lineFill;
        private int lineLength;

        private final long[] remaining = new long[MAX_DEPTH];
        private final long[] count = new long[MAX_DEPTH];
        private final boolean[] attribute = new boolean[MAX_DEPTH];
        private int depth;

        private long bulkRemaining; // body and its CRLF
        private int captureSlot = -1;
        private final byte[][] captured = {new byte[CAPTURE], new byte[CAPTURE], new byte[CAPTURE]};
        private final int[] capturedFill = new int[3];
        private final boolean[] capturedWhole = new boolean[3];
        private final boolean[] capturedSet = new boolean[3];

        private boolean inMessage;
        private long messageStart;
        private byte topType;
        private String errorText;

        private final boolean[] resp3;
        private final Pairing pairing;
        /** Parses a candidate chunk while out of sync, to see whether it starts with a complete value. */
        private Stream probe;

        Stream(Origin origin, boolean[] resp3, Pairing pairing) {
            this.origin = origin;
            this.resp3 = resp3;
            this.pairing = pairing;
        }

        void data(long offset, ByteBuffer chunk, MessageSink out) {
            if (!inSync) {
                if (!startsPlausibly(chunk) || !startsWithCompleteValue(offset, chunk)) {
                    if (origin == Origin.CLIENT) {
                        pairing.unknown = true; // the skipped bytes may hold requests
                    }
                    return;
                }
                reset();
                inSync = true;
            }
            long pos = offset;
            while (chunk.hasRemaining()) {
                if (bulkRemaining > 0) {
                    int n = (int) Math.min(bulkRemaining, chunk.remaining());
                    if (captureSlot >= 0) {
                        int slot = captureSlot;
                        long bodyLeft = Math.max(0, bulkRemaining - 2);
                        int keep = (int) Math.min(Math.min(n, bodyLeft), CAPTURE - capturedFill[slot]);
                        chunk.get(captured[slot], capturedFill[slot], keep);
                        capturedFill[slot] += keep;
                        chunk.position(chunk.position() + (n - keep));
                    } else {
                        chunk.position(chunk.position() + n);
                    }
                    bulkRemaining -= n;
                    pos += n;
                    if (bulkRemaining == 0) {
                        captureSlot = -1;
                        elementDone(pos, out);
                    }
                    continue;
                }
                byte b = chunk.get();
                pos++;
                if (!inMessage) {
                    inMessage = true;
                    messageStart = pos - 1;
                }
                if (b == '\n') {
                    boolean ok = endOfLine(pos, out);
                    lineFill = 0;
                    lineLength = 0;
                    if (!ok) {
                        return;
                    }
                    continue;
                }
                if (lineFill < LINE_KEEP) {
                    line[lineFill++] = b;
                }
                if (++lineLength > MAX_LINE) {
                    fail("line too long", out);
                    return;
                }
            }
        }

        void gap(long offset, long length, MessageSink out) {
            if (!inSync || length == 0) {
                return;
            }
            if (length > 0 && bulkRemaining > 0 && length <= bulkRemaining) {
                if (captureSlot >= 0 && capturedFill[captureSlot] < CAPTURE) {
                    capturedWhole[captureSlot] = false; // the gap hides part of the kept argument
                }
                bulkRemaining -= length;
                if (bulkRemaining == 0) {
                    captureSlot = -1;
                    elementDone(offset + length, out);
                }
                return;
            }
            if (!inMessage) {
                if (length > 0) {
                    out.lost(origin, offset, offset + length); // whole messages, as far as anyone can tell
                }
                if (origin == Origin.CLIENT) {
                    pairing.unknown = true; // how many requests went missing is not known
                }
            } else {
                truncated(length > 0 ? offset + length : offset, out);
            }
            inSync = false;
        }

        /**
         * A gap cut the message being parsed: it ends at the gap (past it when the gap's length is known), and is
         * reported with what was read of it. Its rest, if it goes on after the gap, is skipped while resyncing.
         */
        private void truncated(long end, MessageSink out) {
            long size = end - messageStart;
            if (origin == Origin.CLIENT) {
                String command = topType == '*' ? arg(0) : null;
                String first = topType == '*' ? arg(1) : null;
                message(RedisCommands.request(command, first, size, resp3[0]), end, out);
            } else if (topType == '>') {
                message(RedisCommands.push(arg(0), size), end, out);
            } else {
                message(RedisCommands.truncatedResponse(size), end, out);
            }
            reset();
        }

        /** Reports a message and counts it for pairing. */
        private void message(ParsedMessage m, long end, MessageSink out) {
            if (m.type() == MessageType.REQUEST && m.expectsResponse()) {
                pairing.pending++;
                pairing.seenRequest = true;
            } else if (m.type() == MessageType.RESPONSE && pairing.pending > 0) {
                pairing.pending--;
            }
            out.message(origin, m, messageStart, end);
        }

        /** Handles one complete line; false when the framing was lost. */
        private boolean endOfLine(long pos, MessageSink out) {
            int len = lineFill;
            if (lineFill == lineLength && len > 0 && line[len - 1] == '\r') {
                len--;
            }
            if (len == 0) {
                if (depth == 0 && origin == Origin.CLIENT) {
                    inMessage = false; // Redis ignores empty lines between inline commands
                    return true;
                }
                fail("empty line", out);
                return false;
            }
            byte type = line[0];
            if (depth == 0) {
                topType = type;
            }
            switch (type) {
                case '-':
                    if (depth == 0) {
                        errorText = RespLines.text(line, 1, len);
                    }
                    elementDone(pos, out);
                    return true;
                case '+':
                case ':':
                case ',':
                case '#':
                case '_':
                case '(':
                    elementDone(pos, out);
                    return true;
                case '$':
                case '=':
                case '!':
                    return bulkHeader(type, RespLines.parseLong(line, 1, len), pos, out);
                case '*':
                case '~':
                case '>':
                case '%':
                case '|':
                    return aggregateHeader(type, RespLines.parseLong(line, 1, len), pos, out);
                default:
                    if (depth == 0 && origin == Origin.CLIENT) {
                        inlineCommand(len, pos, out);
                        return true;
                    }
                    fail("unknown type", out);
                    return false;
            }
        }

        private boolean bulkHeader(byte type, long n, long pos, MessageSink out) {
            if (n == -1) {
                elementDone(pos, out); // RESP2 null bulk string
                return true;
            }
            if (n < 0 || n > MAX_BULK) {
                fail("bad bulk length", out);
                return false;
            }
            bulkRemaining = n + 2;
            captureSlot = -1;
            if (depth == 0 && type == '!') {
                captureSlot = 2; // a blob error's message
            } else if (depth == 1 && !attribute[0] && (topType == '*' || topType == '>')) {
                long index = count[0] - remaining[0];
                if (index < 2) {
                    captureSlot = (int) index;
                }
            }
            if (captureSlot >= 0) {
                capturedFill[captureSlot] = 0;
                capturedWhole[captureSlot] = true;
                capturedSet[captureSlot] = true;
            }
            return true;
        }

        private boolean aggregateHeader(byte type, long n, long pos, MessageSink out) {
            if (depth == 0 && origin == Origin.CLIENT && type == '*' && (n == 0 || n == -1)) {
                clearMessage(); // Redis skips an empty command without replying
                return true;
            }
            if (n == -1 && (type == '*' || type == '%')) {
                elementDone(pos, out); // RESP2 null array
                return true;
            }
            if (n < 0 || n > Integer.MAX_VALUE) {
                fail("bad aggregate length", out);
                return false;
            }
            long elements = type == '%' || type == '|' ? 2 * n : n;
            if (elements == 0) {
                elementDone(pos, out);
                return true;
            }
            if (depth == MAX_DEPTH) {
                fail("nesting too deep", out);
                return false;
            }
            remaining[depth] = elements;
            count[depth] = elements;
            attribute[depth] = type == '|';
            depth++;
            return true;
        }

        /** One value ended: fills a slot of the enclosing aggregate, or ends the message. */
        private void elementDone(long pos, MessageSink out) {
            while (true) {
                if (depth == 0) {
                    complete(pos, out);
                    return;
                }
                if (--remaining[depth - 1] > 0) {
                    return;
                }
                boolean attr = attribute[depth - 1];
                depth--;
                if (attr) {
                    return; // the value an attribute describes follows it and fills the slot
                }
            }
        }

        private void complete(long end, MessageSink out) {
            long size = end - messageStart;
            if (origin == Origin.CLIENT) {
                if (topType == '*') {
                    String command = arg(0);
                    String first = arg(1);
                    if ("HELLO".equalsIgnoreCase(command) && first != null) {
                        resp3[0] = first.equals("3");
                    }
                    message(RedisCommands.request(command, first, size, resp3[0]), end, out);
                } else {
                    out.malformed(origin, "not a command");
                }
            } else if (topType == '>') {
                message(RedisCommands.push(arg(0), size), end, out);
            } else {
                boolean error = topType == '-' || topType == '!';
                String message = topType == '!' ? arg(2) : errorText;
                message(RedisCommands.response(error, message, size), end, out);
            }
            clearMessage();
        }

        /** An inline command: words separated by spaces, the first the command, the second its key. */
        private void inlineCommand(int len, long end, MessageSink out) {
            int i = 0;
            String[] words = new String[2];
            for (int w = 0; w < 2; w++) {
                while (i < len && (line[i] == ' ' || line[i] == '\t')) {
                    i++;
                }
                int start = i;
                while (i < len && line[i] != ' ' && line[i] != '\t') {
                    i++;
                }
                if (i > start && (i < len || lineFill == lineLength || w == 0)) {
                    words[w] = RespLines.text(line, start, Math.min(i, start + CAPTURE));
                }
            }
            message(RedisCommands.request(words[0], words[1], end - messageStart, resp3[0]), end, out);
            clearMessage();
        }

        private String arg(int slot) {
            if (!capturedSet[slot] || !capturedWhole[slot]) {
                return null;
            }
            return RespLines.text(captured[slot], 0, capturedFill[slot]);
        }

        private void fail(String reason, MessageSink out) {
            out.malformed(origin, reason);
            inSync = false;
            if (origin == Origin.CLIENT) {
                pairing.unknown = true; // the rest of the chunk, skipped, may hold requests
            }
        }

        private void clearMessage() {
            inMessage = false;
            topType = 0;
            errorText = null;
            for (int i = 0; i < capturedSet.length; i++) {
                capturedSet[i] = false;
                capturedFill[i] = 0;
            }
        }

        private void reset() {
            clearMessage();
            depth = 0;
            bulkRemaining = 0;
            captureSlot = -1;
            lineFill = 0;
            lineLength = 0;
        }

        /** Whether a chunk after lost bytes starts like a message this end sends. */
        private boolean startsPlausibly(ByteBuffer chunk) {
            ByteBuffer b = chunk.duplicate();
            byte[] bytes = new byte[Math.min(b.remaining(), 514)];
            b.get(bytes);
            return origin == Origin.CLIENT ? RespInference.looksLikeCommand(bytes)
                    : RespInference.looksLikeReply(bytes) || looksLikeResp3(bytes);
        }

        /**
         * Whether the chunk starts with a whole RESP value, and, on the server side, a reply is due: a chunk inside
         * the rest of a cut reply may start like a value, but no request is waiting for it (unless it is a push).
         */
        private boolean startsWithCompleteValue(long offset, ByteBuffer chunk) {
            if (origin == Origin.SERVER && !pairing.replyExpected() && chunk.get(chunk.position()) != '>') {
                return false;
            }
            if (probe == null) {
                probe = new Stream(origin, new boolean[1], new Pairing());
            }
            probe.inSync = true;
            probe.resp3[0] = resp3[0];
            probe.reset();
            boolean[] complete = new boolean[1];
            probe.data(offset, chunk.duplicate(), new MessageSink() {
                @Override
                public void message(Origin o, ParsedMessage message, long start, long end) {
                    complete[0] = true;
                }

                @Override
                public void malformed(Origin o, String reason) {
                    // the chunk's first value, if any, was already complete or is not a value
                }
            });
            return complete[0];
        }

        /** RESP3 reply types that {@link RespInference#looksLikeReply} leaves out: null, boolean, push, set, ... */
        private static boolean looksLikeResp3(byte[] b) {
            if (b.length < 3) {
                return false;
            }
            int end = -1;
            for (int i = 1; i + 1 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                return false;
            }
            switch (b[0]) {
                case '_':
                    return end == 1;
                case '#':
                    return end == 2 && (b[1] == 't' || b[1] == 'f');
                case '>':
                case '~':
                case '|':
                case '=':
                case '!':
                    return RespLines.parseLong(b, 1, end) >= 0;
                case ',':
                case '(':
                    return end > 1;
                default:
                    return false;
            }
        }
    }
}
