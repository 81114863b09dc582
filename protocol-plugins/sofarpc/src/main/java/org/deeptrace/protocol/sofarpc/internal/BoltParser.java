package org.deeptrace.protocol.sofarpc.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.protocol.support.parser.CheckedHeaderFraming;
import org.deeptrace.protocol.support.parser.PerDirectionParser;

/**
 * Bolt framing, one state machine per direction (the shared {@link CheckedHeaderFraming}): the fixed part (20 to 24
 * bytes), then the class name, the header map and the content of the lengths it announces (and a CRC32 in v2 when
 * switched on). Only the header map (up to {@link Stream#HEADERS_CAPTURE} bytes) and the start of a response's
 * content are kept; the rest is skipped. Concurrent calls share a connection; the request id pairs their responses.
 *
 * <p>Resynchronisation: bytes that cannot start a Bolt command are reported once as malformed, then skipped byte by
 * byte until a plausible fixed part starts. A gap inside the variable part keeps the framing; a gap between commands
 * is reported as lost; any other gap drops the command in progress.
 */
final class BoltParser extends PerDirectionParser<BoltParser.Stream> {
    BoltParser() {
        super(Stream::new);
    }

    /** The framing state of one direction. */
    static final class Stream extends CheckedHeaderFraming {
        /** Bytes kept of a header map: SOFARPC's carry the service, method and trace context in a few hundred. */
        static final int HEADERS_CAPTURE = 8192;
        /** Bytes kept of a response's content: enough for SofaResponse's class definition and an exception name. */
        static final int CONTENT_CAPTURE = 1024;

        private final SofaMessages messages = new SofaMessages();
        private BoltHeader current;
        private final byte[] headers = new byte[HEADERS_CAPTURE];
        private int headersFill;
        private final byte[] content = new byte[CONTENT_CAPTURE];
        private int contentFill;
        /** False once a gap hit the variable part: what follows is not contiguous with what was kept. */
        private boolean contiguous;
        private final byte[] scratch = new byte[BoltHeader.MAX_FIXED];

        Stream(Origin origin) {
            super(origin, BoltHeader.MAX_FIXED);
        }

        @Override
        protected boolean headerPrefixValid(byte[] header, int fill) {
            return BoltHeader.plausiblePrefix(header, fill);
        }

        @Override
        protected int headerLength(byte[] header, int fill) {
            return BoltHeader.fixedLength(header, fill);
        }

        /**
         * Up to the next offset where the bytes held could start a fixed part. A candidate that would already be
         * complete with bytes to spare (possible only when a v2 header turned out bad late) is passed over: resync
         * is a best effort, and the next command is found all the same.
         */
        @Override
        protected int dropBeforeNextStart(byte[] header, int fill) {
            int i = 1;
            while (i < fill && !startsFixedPart(shifted(header, fill, i), fill - i)) {
                i++;
            }
            return i;
        }

        private static boolean startsFixedPart(byte[] b, int fill) {
            int length = BoltHeader.fixedLength(b, fill);
            return length >= 0 && (length == 0 || fill <= length) && BoltHeader.plausiblePrefix(b, fill);
        }

        private byte[] shifted(byte[] header, int fill, int by) {
            System.arraycopy(header, by, scratch, 0, fill - by);
            return scratch;
        }

        @Override
        protected long startBody(byte[] header, int length) {
            current = BoltHeader.parse(header);
            headersFill = 0;
            contentFill = 0;
            contiguous = true;
            return current.totalLength() - current.fixedLength();
        }

        /** Copies what is wanted of the next {@code n} bytes of the variable part; the rest is skipped. */
        @Override
        protected void keepBody(ByteBuffer chunk, int n, long bodyDone) {
            if (contiguous) {
                long headersStart = current.classLength();
                headersFill = copy(chunk, n, bodyDone, headersStart, current.headerLength(), headers, headersFill);
                if (!current.request()) {
                    contentFill = copy(chunk, n, bodyDone, headersStart + current.headerLength(),
                            current.contentLength(), content, contentFill);
                }
            }
        }

        /**
         * Copies the bytes among the chunk's next {@code n} (which start at {@code bodyDone} of the variable part)
         * that continue the section {@code [start, start + length)} kept in {@code target}, as far as it has room.
         */
        private static int copy(ByteBuffer chunk, int n, long bodyDone, long start, long length, byte[] target,
                int fill) {
            long want = start + fill;
            long from = Math.max(bodyDone, want);
            long to = Math.min(bodyDone + n, start + Math.min(length, target.length));
            if (from != want || to <= from) {
                return fill;
            }
            chunk.get(chunk.position() + (int) (from - bodyDone), target, fill, (int) (to - from));
            return fill + (int) (to - from);
        }

        @Override
        protected void bodyGap(long bodyDone, long length) {
            contiguous = false;
        }

        @Override
        protected void complete(long start, long end, MessageSink out) {
            BoltHeader h = current;
            current = null;
            ParsedMessage m = messages.build(h, headers, headersFill, headersFill == h.headerLength(), content,
                    contentFill);
            if (messages.problem() != null) {
                out.malformed(origin, messages.problem());
            }
            out.message(origin, m, start, end);
        }
    }
}
