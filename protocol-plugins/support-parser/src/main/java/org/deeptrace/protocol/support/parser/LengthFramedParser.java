package org.deeptrace.protocol.support.parser;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * The framing of a protocol whose messages are a fixed-size header announcing the length of the body that follows
 * (bRPC, Tars, SOME/IP, ...), held once: one state machine per origin, which
 * <ul>
 *   <li>accumulates the header across chunks (copied: chunks are only valid during the call) and asks the protocol
 *       for the body length it announces ({@link #bodyLength});</li>
 *   <li>copies a prefix of the body the protocol asks for ({@link #prefixLength}, at most {@code keepLimit} bytes)
 *       and skips the rest by count, never copying it;</li>
 *   <li>hands the complete message to {@link #complete} with its stream offsets: {@code start} at the header's first
 *       byte, {@code size} = header + body, whether the prefix was kept whole;</li>
 *   <li>handles gaps: a gap inside a body only shortens the skip (and leaves the prefix incomplete when it hit it);
 *       a gap that reaches past the body ends the message and reports the rest lost; a gap between messages is
 *       reported lost; any other gap, an unknown one, or a header announcing an impossible length (negative, above
 *       {@code maxBody}) loses the framing, and the stream then skips bytes until {@link #findHeader} finds one
 *       that starts like a header.</li>
 * </ul>
 * In datagram mode (a protocol over UDP) each chunk is one datagram holding whole messages: a message cut by the
 * datagram's end is reported malformed, a bad header drops the rest of the datagram, gaps are never bridged.
 *
 * <p>A protocol writes the header checks, the resync scan and the decoding of the kept bytes; it never sees a
 * chunk boundary.
 */
public abstract class LengthFramedParser implements ConnectionParser {
    private final int headerSize;
    private final long maxBody;
    private final int keepLimit;
    private final boolean datagrams;
    private final Framing client;
    private final Framing server;

    /**
     * @param headerSize bytes of the fixed header, the first of every message
     * @param maxBody the largest body accepted; a header announcing more loses the framing
     * @param keepLimit the most bytes of a body's prefix kept for {@link #complete}
     * @param datagrams whether each chunk is one datagram (UDP) rather than part of a stream (TCP)
     */
    protected LengthFramedParser(int headerSize, long maxBody, int keepLimit, boolean datagrams) {
        if (headerSize <= 0 || maxBody < 0 || keepLimit < 0) {
            throw new IllegalArgumentException("header " + headerSize + ", max body " + maxBody + ", keep "
                    + keepLimit);
        }
        this.headerSize = headerSize;
        this.maxBody = maxBody;
        this.keepLimit = keepLimit;
        this.datagrams = datagrams;
        this.client = new Framing(Origin.CLIENT);
        this.server = new Framing(Origin.SERVER);
    }

    /**
     * The length of the body that follows this complete header, or -1 when the header is impossible (the framing
     * is lost: {@link #badHeader} says why).
     */
    protected abstract long bodyLength(byte[] header);

    /** The reason reported as malformed for a header {@link #bodyLength} refused (or that announces too much). */
    protected abstract String badHeader(byte[] header);

    /** How many of the body's first bytes the protocol wants for {@link #complete}; the whole body by default. */
    protected long prefixLength(byte[] header, long bodyLength) {
        return bodyLength;
    }

    /**
     * The index of the first plausible header in {@code chunk[from, limit)} after the framing was lost, or -1 when
     * there is none (the rest of the chunk is skipped). A candidate cut by {@code limit} may be accepted on what
     * it shows.
     */
    protected abstract int findHeader(ByteBuffer chunk, int from, int limit);

    /**
     * After a refused header, the offset from that header's first byte where {@link #findHeader} starts looking
     * (within the chunk at hand); by default right after the header.
     */
    protected int rescanFrom() {
        return headerSize;
    }

    /**
     * How many kept body bytes {@link #checkBodyStart} needs, for a protocol whose header alone is too thin to
     * trust (0, the default: no check).
     */
    protected int bodyStartLength() {
        return 0;
    }

    /**
     * Whether the body starts the way the protocol's bodies do, checked once per message when
     * {@link #bodyStartLength} bytes are kept (or the body ended first): {@code null} if so, else the reason
     * reported as malformed before the stream looks for the next header from the start of this body.
     */
    protected String checkBodyStart(byte[] kept, int keptLength) {
        return null;
    }

    /**
     * A message is complete.
     *
     * @param header the header (reused: copy what is kept)
     * @param kept the kept prefix of the body, {@code [0, keptLength)} (reused: copy what is kept)
     * @param whole whether the kept bytes are the whole prefix {@link #prefixLength} asked for (no gap hit it and it
     *     fit {@code keepLimit})
     * @param start the stream offset of the header's first byte
     * @param size header and body bytes
     */
    protected abstract void complete(Origin origin, byte[] header, byte[] kept, int keptLength, boolean whole,
            long start, long size, MessageSink out);

    @Override
    public final void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        framing(origin).data(offset, chunk, out);
    }

    @Override
    public final void onGap(Origin origin, long offset, long length, MessageSink out) {
        framing(origin).gap(offset, length, out);
    }

    private Framing framing(Origin origin) {
        return origin == Origin.CLIENT ? client : server;
    }

    private enum State { HEADER, BODY, RESYNC }

    /** The framing state of one origin. */
    private final class Framing {
        private final Origin origin;
        private State state = State.HEADER;
        private final byte[] header = new byte[headerSize];
        private int headerFill;
        private byte[] kept = new byte[Math.min(keepLimit, 256)];
        private int keptFill;
        /** Prefix bytes not yet consumed (kept or skipped). */
        private long prefixLeft;
        /** Body bytes not yet consumed, the prefix included. */
        private long bodyLeft;
        /** The kept prefix misses bytes: a gap hit it, or it was longer than keepLimit. */
        private boolean cut;
        private boolean startChecked;
        private long start;
        private long size;

        Framing(Origin origin) {
            this.origin = origin;
        }

        void data(long offset, ByteBuffer chunk, MessageSink out) {
            if (datagrams && (state != State.HEADER || headerFill > 0)) {
                out.malformed(origin, "truncated datagram"); // the previous datagram ended inside a message
                reset();
            }
            int base = chunk.position();
            int p = base;
            int limit = chunk.limit();
            while (p < limit) {
                switch (state) {
                    case RESYNC -> {
                        int found = findHeader(chunk, p, limit);
                        if (found < 0) {
                            return;
                        }
                        p = found;
                        reset();
                    }
                    case HEADER -> {
                        if (headerFill == 0) {
                            start = offset + (p - base);
                        }
                        int n = Math.min(headerSize - headerFill, limit - p);
                        chunk.get(p, header, headerFill, n);
                        headerFill += n;
                        p += n;
                        if (headerFill == headerSize && !startMessage(out)) {
                            if (datagrams) {
                                return; // the rest of this datagram cannot be framed
                            }
                            p = Math.max(base, p - (headerSize - rescanFrom()));
                        }
                    }
                    case BODY -> {
                        int n = (int) Math.min(bodyLeft, limit - p);
                        keep(chunk, p, n);
                        bodyLeft -= n;
                        p += n;
                        if (!startChecked && (keptFill >= bodyStartLength() || bodyLeft == 0)) {
                            startChecked = true;
                            String bad = checkBodyStart(kept, keptFill);
                            if (bad != null) {
                                out.malformed(origin, bad);
                                p -= n; // look for the next header in what followed the bad one
                                resync();
                                continue;
                            }
                        }
                        if (bodyLeft == 0) {
                            finish(out);
                        }
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
        }

        /** Copies what is wanted of the next {@code n} body bytes at {@code p}; the rest is only counted. */
        private void keep(ByteBuffer chunk, int p, int n) {
            if (prefixLeft == 0) {
                return;
            }
            int inPrefix = (int) Math.min(prefixLeft, n);
            int copy = cut ? 0 : Math.min(inPrefix, keepLimit - keptFill);
            if (copy > 0) {
                ensureKept(keptFill + copy);
                chunk.get(p, kept, keptFill, copy);
                keptFill += copy;
            }
            if (copy < inPrefix) {
                cut = true;
            }
            prefixLeft -= inPrefix;
        }

        void gap(long offset, long length, MessageSink out) {
            if (state == State.BODY && length >= 0) {
                if (prefixLeft > 0) {
                    cut = true; // later bytes would not follow on from the kept ones
                }
                if (length < bodyLeft) {
                    bodyLeft -= length; // the framing holds: the header said how long the message is
                    prefixLeft = Math.max(0, prefixLeft - length);
                    return;
                }
                long messageEnd = offset + bodyLeft;
                bodyLeft = 0;
                prefixLeft = 0;
                finish(out);
                if (offset + length > messageEnd && !datagrams) {
                    out.lost(origin, messageEnd, offset + length);
                    resync();
                }
                return;
            }
            if (datagrams) {
                reset(); // the next chunk is a new datagram anyway
                return;
            }
            if (state == State.HEADER && headerFill == 0 && length > 0) {
                out.lost(origin, offset, offset + length);
            }
            resync();
        }

        /** Starts the body the complete header announces; false (and the framing lost) for a bad header. */
        private boolean startMessage(MessageSink out) {
            long body = bodyLength(header);
            if (body < 0 || body > maxBody) {
                out.malformed(origin, badHeader(header));
                if (datagrams) {
                    reset();
                } else {
                    resync();
                }
                return false;
            }
            size = headerSize + body;
            bodyLeft = body;
            prefixLeft = Math.max(0, Math.min(body, prefixLength(header, body)));
            keptFill = 0;
            cut = false;
            startChecked = bodyStartLength() == 0;
            state = State.BODY;
            if (bodyLeft == 0) {
                finish(out);
            }
            return true;
        }

        private void finish(MessageSink out) {
            reset();
            complete(origin, header, kept, keptFill, !cut, start, size, out);
        }

        private void reset() {
            state = State.HEADER;
            headerFill = 0;
            bodyLeft = 0;
            prefixLeft = 0;
        }

        private void resync() {
            reset();
            state = State.RESYNC;
        }

        private void ensureKept(int needed) {
            if (needed > kept.length) {
                byte[] bigger = new byte[Math.min(keepLimit, Math.max(needed, kept.length * 2))];
                System.arraycopy(kept, 0, bigger, 0, keptFill);
                kept = bigger;
            }
        }
    }
}
