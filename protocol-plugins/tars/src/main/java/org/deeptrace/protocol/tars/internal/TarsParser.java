package org.deeptrace.protocol.tars.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Frames the two byte streams of a Tars connection by their 4-byte lengths. The first {@link #KEEP} bytes of each
 * packet are copied and decoded when the packet is complete (the header fields come first, the map fields after
 * sBuffer are read when the packet fits); the rest is skipped by count.
 */
final class TarsParser implements ConnectionParser {
    /** Packet bytes kept for decoding. */
    static final int KEEP = 16 * 1024;

    private final Stream client = new Stream(Origin.CLIENT);
    private final Stream server = new Stream(Origin.SERVER);

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        stream(origin).data(offset, chunk, out);
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        stream(origin).gap(offset, length, out);
    }

    private Stream stream(Origin origin) {
        return origin == Origin.CLIENT ? client : server;
    }

    private enum State { LENGTH, BODY, RESYNC }

    private static final class Stream {
        private final Origin origin;
        private State state = State.LENGTH;
        private final byte[] lengthBytes = new byte[TarsFrame.LENGTH_SIZE];
        private int lengthFill;
        private byte[] kept = new byte[256];
        private int keptFill;
        private boolean cut;
        private boolean startChecked;
        private long bodyLeft;
        private long start;
        private long size;

        Stream(Origin origin) {
            this.origin = origin;
        }

        void data(long offset, ByteBuffer chunk, MessageSink out) {
            int base = chunk.position();
            int p = base;
            int limit = chunk.limit();
            while (p < limit) {
                switch (state) {
                    case RESYNC -> {
                        int found = findPacket(chunk, p, limit);
                        if (found < 0) {
                            return;
                        }
                        p = found;
                        state = State.LENGTH;
                        lengthFill = 0;
                    }
                    case LENGTH -> {
                        if (lengthFill == 0) {
                            start = offset + (p - base);
                        }
                        int n = Math.min(TarsFrame.LENGTH_SIZE - lengthFill, limit - p);
                        chunk.get(p, lengthBytes, lengthFill, n);
                        lengthFill += n;
                        p += n;
                        if (lengthFill == TarsFrame.LENGTH_SIZE) {
                            startPacket(out);
                        }
                    }
                    case BODY -> {
                        int n = (int) Math.min(bodyLeft, limit - p);
                        int keep = cut ? 0 : Math.min(n, KEEP - keptFill);
                        if (keep > 0) {
                            ensureKept(keptFill + keep);
                            chunk.get(p, kept, keptFill, keep);
                            keptFill += keep;
                        }
                        if (keep < n) {
                            cut = true;
                        }
                        bodyLeft -= n;
                        p += n;
                        if (!startChecked && (keptFill >= 4 || bodyLeft == 0)) {
                            startChecked = true;
                            if (!TarsFrame.plausibleStart(ByteBuffer.wrap(kept), 0, keptFill)) {
                                out.malformed(origin, "bad packet start");
                                // look for the next packet in what followed the bad length
                                p -= n;
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

        void gap(long offset, long length, MessageSink out) {
            if (state == State.BODY && length >= 0) {
                if (length < bodyLeft) {
                    bodyLeft -= length; // the framing holds: the length said how long the packet is
                    cut = true;
                    return;
                }
                long packetEnd = offset + bodyLeft;
                bodyLeft = 0;
                cut = true;
                finish(out);
                if (offset + length > packetEnd) {
                    out.lost(origin, packetEnd, offset + length);
                    resync();
                }
                return;
            }
            if (state == State.LENGTH && lengthFill == 0 && length > 0) {
                out.lost(origin, offset, offset + length);
            }
            resync();
        }

        private void startPacket(MessageSink out) {
            long length = TarsFrame.uint32(ByteBuffer.wrap(lengthBytes), 0);
            if (!TarsFrame.plausibleLength(length)) {
                out.malformed(origin, "bad length");
                resync();
                return;
            }
            size = length;
            bodyLeft = length - TarsFrame.LENGTH_SIZE;
            keptFill = 0;
            cut = false;
            startChecked = false;
            state = State.BODY;
        }

        private void finish(MessageSink out) {
            TarsPacket packet = TarsPacket.decode(kept, 0, keptFill, !cut);
            if (packet == null) {
                out.malformed(origin, "bad packet");
            } else {
                out.message(origin, TarsMessages.toMessage(packet, origin, size), start, start + size);
            }
            state = State.LENGTH;
            lengthFill = 0;
        }

        private void resync() {
            state = State.RESYNC;
            lengthFill = 0;
            bodyLeft = 0;
        }

        private void ensureKept(int needed) {
            if (needed > kept.length) {
                byte[] bigger = new byte[Math.min(KEEP, Math.max(needed, kept.length * 2))];
                System.arraycopy(kept, 0, bigger, 0, keptFill);
                kept = bigger;
            }
        }

        /** The next offset in {@code [from, limit)} where a plausible length is followed by a plausible start. */
        private static int findPacket(ByteBuffer chunk, int from, int limit) {
            for (int i = from; i + TarsFrame.LENGTH_SIZE <= limit; i++) {
                if (chunk.get(i) == 0 && TarsFrame.plausibleLength(TarsFrame.uint32(chunk, i))
                        && TarsFrame.plausibleStart(chunk, i + 4, Math.min(limit, i + 8))
                        && i + 4 < limit) {
                    return i;
                }
            }
            return -1;
        }
    }
}
