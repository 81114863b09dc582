package org.deeptrace.protocol.dubbo.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Dubbo framing, one state machine per direction: a 16-byte header, then a body of the length it announces,
 * skipped except for its first {@link Stream#CAPTURE} bytes (where the names and flags are). Requests and
 * responses of any number of concurrent calls interleave freely on one connection; the request id pairs them.
 *
 * <p>Resynchronisation: bytes that do not form a valid header are reported once as malformed and then skipped
 * until a valid header (magic {@code 0xdabb}, a plausible flag, status and length) starts. A gap inside a body
 * keeps the framing; a gap between messages is reported as lost; any other gap drops the message in progress.
 */
final class DubboParser implements ConnectionParser {
    private final Map<Origin, Stream> streams = new EnumMap<>(Origin.class);

    DubboParser() {
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
        /** Bytes kept of a body: enough for the four leading strings of a request with long names. */
        static final int CAPTURE = 2048;

        private final Origin origin;
        private final DubboMessages messages = new DubboMessages();
        private final byte[] header = new byte[DubboHeader.LENGTH];
        private int headerFill;
        private long messageStart;
        /** True while skipping bytes that are not a header; the malformed report was made when it started. */
        private boolean resyncing;

        private DubboHeader current;
        private long bodyRemaining;
        private final byte[] body = new byte[CAPTURE];
        private int bodyFill;
        /** False once a gap hit the captured part of the body: later bytes no longer follow on. */
        private boolean bodyWhole;

        Stream(Origin origin) {
            this.origin = origin;
        }

        void data(long offset, ByteBuffer chunk, MessageSink out) {
            long pos = offset;
            while (chunk.hasRemaining()) {
                if (current != null) {
                    int n = (int) Math.min(bodyRemaining, chunk.remaining());
                    int keep = bodyWhole ? Math.min(n, CAPTURE - bodyFill) : 0;
                    chunk.get(body, bodyFill, keep);
                    bodyFill += keep;
                    chunk.position(chunk.position() + (n - keep));
                    bodyRemaining -= n;
                    pos += n;
                    if (bodyRemaining == 0) {
                        complete(pos, out);
                    }
                    continue;
                }
                if (headerFill == 0) {
                    messageStart = pos;
                }
                header[headerFill++] = chunk.get();
                pos++;
                if (!headerSoFarValid()) {
                    if (!resyncing) {
                        resyncing = true;
                        out.malformed(origin, "bad header");
                    }
                    shiftToNextMagic();
                    continue;
                }
                if (headerFill == DubboHeader.LENGTH) {
                    startBody(DubboHeader.parse(header, 0), pos, out);
                }
            }
        }

        void gap(long offset, long length, MessageSink out) {
            if (length == 0) {
                return;
            }
            if (current != null && length > 0 && length <= bodyRemaining) {
                if (bodyFill < CAPTURE) {
                    bodyWhole = false;
                }
                bodyRemaining -= length;
                if (bodyRemaining == 0) {
                    complete(offset + length, out);
                }
                return;
            }
            if (current == null && headerFill == 0 && length > 0 && !resyncing) {
                out.lost(origin, offset, offset + length);
            }
            // The framing is gone: look for the next header, quietly (the gap, not the bytes, is to blame).
            current = null;
            headerFill = 0;
            resyncing = true;
        }

        /** Checks the header bytes read so far, as soon as each field is complete. */
        private boolean headerSoFarValid() {
            if ((header[0] & 0xff) != DubboHeader.MAGIC_HIGH) {
                return false;
            }
            if (headerFill >= 2 && (header[1] & 0xff) != DubboHeader.MAGIC_LOW) {
                return false;
            }
            if (headerFill >= 4 && !DubboHeader.plausibleFlagAndStatus(header[2] & 0xff, header[3] & 0xff)) {
                return false;
            }
            return headerFill < DubboHeader.LENGTH || DubboHeader.parse(header, 0) != null;
        }

        /** Drops the header bytes up to the next possible magic, keeping those that may start a header. */
        private void shiftToNextMagic() {
            int i = 1;
            while (i < headerFill && !((header[i] & 0xff) == DubboHeader.MAGIC_HIGH
                    && (i + 1 >= headerFill || (header[i + 1] & 0xff) == DubboHeader.MAGIC_LOW))) {
                i++;
            }
            System.arraycopy(header, i, header, 0, headerFill - i);
            headerFill -= i;
            messageStart += i;
            // The kept bytes were checked as magic only: check the rest again as more arrive (rarely needed).
            if (headerFill >= 4 && !DubboHeader.plausibleFlagAndStatus(header[2] & 0xff, header[3] & 0xff)) {
                shiftToNextMagic();
            }
        }

        private void startBody(DubboHeader h, long pos, MessageSink out) {
            resyncing = false;
            current = h;
            bodyRemaining = h.bodyLength();
            bodyFill = 0;
            bodyWhole = true;
            if (bodyRemaining == 0) {
                complete(pos, out);
            }
        }

        private void complete(long end, MessageSink out) {
            DubboHeader h = current;
            current = null;
            headerFill = 0;
            ParsedMessage m = messages.build(h, body, bodyFill, bodyWhole);
            if (messages.problem() != null) {
                out.malformed(origin, messages.problem());
            }
            out.message(origin, m, messageStart, end);
        }
    }
}
