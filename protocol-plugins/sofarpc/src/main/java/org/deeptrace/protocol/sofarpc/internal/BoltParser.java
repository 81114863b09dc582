package org.deeptrace.protocol.sofarpc.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Bolt framing, one state machine per direction: the fixed part (20 to 24 bytes), then the class name, the header
 * map and the content of the lengths it announces (and a CRC32 in v2 when switched on). Only the header map (up to
 * {@link Stream#HEADERS_CAPTURE} bytes) and the start of a response's content are kept; the rest is skipped.
 * Concurrent calls share a connection; the request id pairs their responses.
 *
 * <p>Resynchronisation: bytes that cannot start a Bolt command are reported once as malformed, then skipped byte by
 * byte until a plausible fixed part starts. A gap inside the variable part keeps the framing; a gap between commands
 * is reported as lost; any other gap drops the command in progress.
 */
final class BoltParser implements ConnectionParser {
    private final Map<Origin, Stream> streams = new EnumMap<>(Origin.class);

    BoltParser() {
        for (Origin o : Origin.values()) {
            streams.put(o, new Stream(o));
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
        /** Bytes kept of a header map: SOFARPC's carry the service, method and trace context in a few hundred. */
        static final int HEADERS_CAPTURE = 8192;
        /** Bytes kept of a response's content: enough for SofaResponse's class definition and an exception name. */
        static final int CONTENT_CAPTURE = 1024;

        private final Origin origin;
        private final SofaMessages messages = new SofaMessages();
        private final byte[] fixed = new byte[BoltHeader.MAX_FIXED];
        private int fixedFill;
        private long messageStart;
        private boolean resyncing;

        private BoltHeader current;
        /** Bytes of the variable part (class, headers, content, CRC) consumed, and its length. */
        private long bodyDone;
        private long bodyLength;
        private final byte[] headers = new byte[HEADERS_CAPTURE];
        private int headersFill;
        private final byte[] content = new byte[CONTENT_CAPTURE];
        private int contentFill;
        /** False once a gap hit the variable part: what follows is not contiguous with what was kept. */
        private boolean contiguous;

        Stream(Origin origin) {
            this.origin = origin;
        }

        void data(long offset, ByteBuffer chunk, MessageSink out) {
            long pos = offset;
            while (chunk.hasRemaining()) {
                if (current != null) {
                    int n = (int) Math.min(bodyLength - bodyDone, chunk.remaining());
                    keep(chunk, n);
                    bodyDone += n;
                    pos += n;
                    if (bodyDone == bodyLength) {
                        complete(pos, out);
                    }
                    continue;
                }
                if (fixedFill == 0) {
                    messageStart = pos;
                }
                fixed[fixedFill++] = chunk.get();
                pos++;
                if (!BoltHeader.plausiblePrefix(fixed, fixedFill)) {
                    if (!resyncing) {
                        resyncing = true;
                        out.malformed(origin, "bad header");
                    }
                    shiftToNextStart();
                    continue;
                }
                int length = BoltHeader.fixedLength(fixed, fixedFill);
                if (length > 0 && fixedFill == length) {
                    start(BoltHeader.parse(fixed), pos, out);
                }
            }
        }

        void gap(long offset, long length, MessageSink out) {
            if (length == 0) {
                return;
            }
            if (current != null && length > 0 && length <= bodyLength - bodyDone) {
                contiguous = false;
                bodyDone += length;
                if (bodyDone == bodyLength) {
                    complete(offset + length, out);
                }
                return;
            }
            if (current == null && fixedFill == 0 && length > 0 && !resyncing) {
                out.lost(origin, offset, offset + length);
            }
            current = null;
            fixedFill = 0;
            resyncing = true;
        }

        /** Copies what is wanted of the next {@code n} bytes of the variable part, skips the rest. */
        private void keep(ByteBuffer chunk, int n) {
            if (contiguous) {
                long headersStart = current.classLength();
                headersFill = copy(chunk, n, headersStart, current.headerLength(), headers, headersFill);
                if (!current.request()) {
                    contentFill = copy(chunk, n, headersStart + current.headerLength(), current.contentLength(),
                            content, contentFill);
                }
            }
            chunk.position(chunk.position() + n);
        }

        /**
         * Copies the bytes among the chunk's next {@code n} (which start at {@code bodyDone} of the variable part)
         * that continue the section {@code [start, start + length)} kept in {@code target}, as far as it has room.
         */
        private int copy(ByteBuffer chunk, int n, long start, long length, byte[] target, int fill) {
            long want = start + fill;
            long from = Math.max(bodyDone, want);
            long to = Math.min(bodyDone + n, start + Math.min(length, target.length));
            if (from != want || to <= from) {
                return fill;
            }
            ByteBuffer view = chunk.duplicate();
            view.position(chunk.position() + (int) (from - bodyDone));
            view.get(target, fill, (int) (to - from));
            return fill + (int) (to - from);
        }

        /**
         * Drops bytes up to the next offset where the bytes held could start a fixed part. A candidate that would
         * already be complete with bytes to spare (possible only when a v2 header turned out bad late) is passed
         * over: resync is a best effort, and the next command is found all the same.
         */
        private void shiftToNextStart() {
            int i = 1;
            while (i < fixedFill && !startsFixedPart(shifted(i), fixedFill - i)) {
                i++;
            }
            System.arraycopy(fixed, i, fixed, 0, fixedFill - i);
            fixedFill -= i;
            messageStart += i;
        }

        private static boolean startsFixedPart(byte[] b, int fill) {
            int length = BoltHeader.fixedLength(b, fill);
            return length >= 0 && (length == 0 || fill <= length) && BoltHeader.plausiblePrefix(b, fill);
        }

        private final byte[] scratch = new byte[BoltHeader.MAX_FIXED];

        private byte[] shifted(int by) {
            System.arraycopy(fixed, by, scratch, 0, fixedFill - by);
            return scratch;
        }

        private void start(BoltHeader h, long pos, MessageSink out) {
            resyncing = false;
            current = h;
            bodyDone = 0;
            bodyLength = h.totalLength() - h.fixedLength();
            headersFill = 0;
            contentFill = 0;
            contiguous = true;
            if (bodyLength == 0) {
                complete(pos, out);
            }
        }

        private void complete(long end, MessageSink out) {
            BoltHeader h = current;
            current = null;
            fixedFill = 0;
            ParsedMessage m = messages.build(h, headers, headersFill, headersFill == h.headerLength(), content,
                    contentFill);
            if (messages.problem() != null) {
                out.malformed(origin, messages.problem());
            }
            out.message(origin, m, messageStart, end);
        }
    }
}
