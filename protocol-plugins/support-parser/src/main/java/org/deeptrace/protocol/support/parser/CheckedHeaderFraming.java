package org.deeptrace.protocol.support.parser;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * The framing of one direction of a protocol whose header is checked byte by byte as it arrives (a magic first,
 * then fields whose values are constrained) and announces the length of the body that follows (Dubbo, Bolt). It
 * holds the state machine once:
 * <ul>
 *   <li>header bytes are copied one at a time; as soon as those held cannot start a header
 *       ({@link #headerPrefixValid}), the first bad bytes are reported malformed (once until a header is found
 *       again) and bytes are dropped from the front up to the next possible start ({@link #dropBeforeNextStart}):
 *       the search goes on across chunks;</li>
 *   <li>the body the complete header announces ({@link #startBody}) is handed to the protocol
 *       ({@link #keepBody}, which copies what it needs) and skipped by count;</li>
 *   <li>a gap inside the body keeps the framing (the protocol hears of it: {@link #bodyGap}); a gap between
 *       messages is reported lost; any other gap drops the message in progress, quietly (the gap, not the bytes,
 *       is to blame), and the search for a header starts.</li>
 * </ul>
 * Chunks must come as views of their own ({@link PerDirectionParser} hands them so): the position is moved.
 */
public abstract class CheckedHeaderFraming implements PerDirectionParser.Direction {
    /** The origin of the bytes. */
    protected final Origin origin;
    private final byte[] header;
    private int headerFill;
    private long messageStart;
    /** True while skipping bytes that are not a header; the malformed report was made when it started. */
    private boolean resyncing;
    private boolean inBody;
    private long bodyLength;
    private long bodyDone;

    /** @param maxHeader the longest header */
    protected CheckedHeaderFraming(Origin origin, int maxHeader) {
        this.origin = origin;
        this.header = new byte[maxHeader];
    }

    /** Whether the first {@code fill} bytes of {@code header} may start a header (all of them checked). */
    protected abstract boolean headerPrefixValid(byte[] header, int fill);

    /** The length of the header whose first {@code fill} (valid) bytes are held; 0 while that is not known yet. */
    protected abstract int headerLength(byte[] header, int fill);

    /**
     * How many bytes to drop from the front of the {@code fill} bytes held (at least 1, at most {@code fill}) so that
     * what is left may start a header.
     */
    protected abstract int dropBeforeNextStart(byte[] header, int fill);

    /** A complete, valid header of {@code length} bytes: the length of the body it announces. */
    protected abstract long startBody(byte[] header, int length);

    /**
     * The next {@code n} bytes of the body, from {@code chunk}'s position, which start at {@code bodyDone} bytes into
     * the body: copy what is wanted without moving the position (the bytes are only valid during the call).
     */
    protected abstract void keepBody(ByteBuffer chunk, int n, long bodyDone);

    /** {@code length} bytes of the body from {@code bodyDone} on were not captured; the message goes on. */
    protected abstract void bodyGap(long bodyDone, long length);

    /** The message that started at stream offset {@code start} is complete at {@code end}: report it. */
    protected abstract void complete(long start, long end, MessageSink out);

    @Override
    public void data(long offset, ByteBuffer chunk, MessageSink out) {
        long pos = offset;
        while (chunk.hasRemaining()) {
            if (inBody) {
                int n = (int) Math.min(bodyLength - bodyDone, chunk.remaining());
                keepBody(chunk, n, bodyDone);
                chunk.position(chunk.position() + n);
                bodyDone += n;
                pos += n;
                if (bodyDone == bodyLength) {
                    finish(pos, out);
                }
                continue;
            }
            if (headerFill == 0) {
                messageStart = pos;
            }
            header[headerFill++] = chunk.get();
            pos++;
            if (!headerPrefixValid(header, headerFill)) {
                if (!resyncing) {
                    resyncing = true;
                    out.malformed(origin, "bad header");
                }
                int drop = dropBeforeNextStart(header, headerFill);
                System.arraycopy(header, drop, header, 0, headerFill - drop);
                headerFill -= drop;
                messageStart += drop;
                continue;
            }
            int length = headerLength(header, headerFill);
            if (length > 0 && headerFill == length) {
                resyncing = false;
                inBody = true;
                bodyDone = 0;
                bodyLength = startBody(header, length);
                if (bodyLength == 0) {
                    finish(pos, out);
                }
            }
        }
    }

    @Override
    public void gap(long offset, long length, MessageSink out) {
        if (length == 0) {
            return;
        }
        if (inBody && length > 0 && length <= bodyLength - bodyDone) {
            bodyGap(bodyDone, length);
            bodyDone += length;
            if (bodyDone == bodyLength) {
                finish(offset + length, out);
            }
            return;
        }
        if (!inBody && headerFill == 0 && length > 0 && !resyncing) {
            out.lost(origin, offset, offset + length);
        }
        // The framing is gone: look for the next header, quietly (the gap, not the bytes, is to blame).
        inBody = false;
        headerFill = 0;
        resyncing = true;
    }

    private void finish(long end, MessageSink out) {
        inBody = false;
        headerFill = 0;
        complete(messageStart, end, out);
    }
}
