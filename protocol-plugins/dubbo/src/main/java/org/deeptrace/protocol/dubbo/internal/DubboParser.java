package org.deeptrace.protocol.dubbo.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.protocol.support.parser.CheckedHeaderFraming;
import org.deeptrace.protocol.support.parser.PerDirectionParser;

/**
 * Dubbo framing, one state machine per direction (the shared {@link CheckedHeaderFraming}): a 16-byte header, then
 * a body of the length it announces, skipped except for its first {@link Stream#CAPTURE} bytes (where the names and
 * flags are). Requests and responses of any number of concurrent calls interleave freely on one connection; the
 * request id pairs them.
 *
 * <p>Resynchronisation: bytes that do not form a valid header are reported once as malformed and then skipped
 * until a valid header (magic {@code 0xdabb}, a plausible flag, status and length) starts. A gap inside a body
 * keeps the framing; a gap between messages is reported as lost; any other gap drops the message in progress.
 */
final class DubboParser extends PerDirectionParser<DubboParser.Stream> {
    DubboParser() {
        super(Stream::new);
    }

    /** The framing state of one direction. */
    static final class Stream extends CheckedHeaderFraming {
        /** Bytes kept of a body: enough for the four leading strings of a request with long names. */
        static final int CAPTURE = 2048;

        private final DubboMessages messages = new DubboMessages();
        private DubboHeader current;
        private final byte[] body = new byte[CAPTURE];
        private int bodyFill;
        /** False once a gap hit the captured part of the body: later bytes no longer follow on. */
        private boolean bodyWhole;

        Stream(Origin origin) {
            super(origin, DubboHeader.LENGTH);
        }

        /** Checks the header bytes read so far, as soon as each field is complete. */
        @Override
        protected boolean headerPrefixValid(byte[] header, int fill) {
            if ((header[0] & 0xff) != DubboHeader.MAGIC_HIGH) {
                return false;
            }
            if (fill >= 2 && (header[1] & 0xff) != DubboHeader.MAGIC_LOW) {
                return false;
            }
            if (fill >= 4 && !DubboHeader.plausibleFlagAndStatus(header[2] & 0xff, header[3] & 0xff)) {
                return false;
            }
            return fill < DubboHeader.LENGTH || DubboHeader.parse(header, 0) != null;
        }

        @Override
        protected int headerLength(byte[] header, int fill) {
            return DubboHeader.LENGTH;
        }

        /**
         * Up to the next possible magic, keeping the bytes that may start a header; the kept bytes were checked as
         * magic only, so a flag and status that cannot be move on to the magic after.
         */
        @Override
        protected int dropBeforeNextStart(byte[] header, int fill) {
            int drop = 0;
            do {
                int i = drop + 1;
                while (i < fill && !((header[i] & 0xff) == DubboHeader.MAGIC_HIGH
                        && (i + 1 >= fill || (header[i + 1] & 0xff) == DubboHeader.MAGIC_LOW))) {
                    i++;
                }
                drop = i;
            } while (fill - drop >= 4
                    && !DubboHeader.plausibleFlagAndStatus(header[drop + 2] & 0xff, header[drop + 3] & 0xff));
            return drop;
        }

        @Override
        protected long startBody(byte[] header, int length) {
            current = DubboHeader.parse(header, 0);
            bodyFill = 0;
            bodyWhole = true;
            return current.bodyLength();
        }

        @Override
        protected void keepBody(ByteBuffer chunk, int n, long bodyDone) {
            int keep = bodyWhole ? Math.min(n, CAPTURE - bodyFill) : 0;
            chunk.get(chunk.position(), body, bodyFill, keep);
            bodyFill += keep;
        }

        @Override
        protected void bodyGap(long bodyDone, long length) {
            if (bodyFill < CAPTURE) {
                bodyWhole = false;
            }
        }

        @Override
        protected void complete(long start, long end, MessageSink out) {
            ParsedMessage m = messages.build(current, body, bodyFill, bodyWhole);
            current = null;
            if (messages.problem() != null) {
                out.malformed(origin, messages.problem());
            }
            out.message(origin, m, start, end);
        }
    }
}
