package org.deeptrace.protocol.someip.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Frames SOME/IP messages by their length field. Over TCP each direction is a stream (messages may span chunks;
 * after bad bytes or a gap the parser looks for the next plausible header); over UDP each chunk is one datagram
 * holding one or more whole messages, parsed on its own. SOME/IP-TP segments are counted until the last one
 * (More Segments flag clear), which is reported as the message.
 */
final class SomeIpParser implements ConnectionParser {
    /** Payload bytes kept per message: the TP header and the first SOME/IP-SD entry. */
    static final int KEEP = 64;
    /** SOME/IP-TP messages being reassembled (by counting) at once per direction. */
    static final int MAX_TP_PENDING = 64;

    private final Stream client;
    private final Stream server;

    SomeIpParser(boolean datagrams) {
        client = new Stream(Origin.CLIENT, datagrams);
        server = new Stream(Origin.SERVER, datagrams);
    }

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

    private enum State { HEADER, BODY, RESYNC }

    private static final class Stream {
        private final Origin origin;
        private final boolean datagrams;
        private State state = State.HEADER;
        private final byte[] header = new byte[SomeIpHeader.SIZE];
        private int headerFill;
        private final byte[] kept = new byte[KEEP];
        private int keptFill;
        private long bodyLeft;
        private long start;
        private long size;
        private final Map<Long, Long> tpSizes = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > MAX_TP_PENDING;
            }
        };

        Stream(Origin origin, boolean datagrams) {
            this.origin = origin;
            this.datagrams = datagrams;
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
                        int n = Math.min(SomeIpHeader.SIZE - headerFill, limit - p);
                        chunk.get(p, header, headerFill, n);
                        headerFill += n;
                        p += n;
                        if (headerFill == SomeIpHeader.SIZE && !startMessage(out)) {
                            if (datagrams) {
                                reset();
                                return; // the rest of this datagram cannot be framed
                            }
                            // look for the next header in what followed the bad one
                            p -= SomeIpHeader.SIZE - 1 > p - base ? p - base : SomeIpHeader.SIZE - 1;
                        }
                    }
                    case BODY -> {
                        int n = (int) Math.min(bodyLeft, limit - p);
                        int keep = Math.min(n, KEEP - keptFill);
                        if (keep > 0) {
                            chunk.get(p, kept, keptFill, keep);
                            keptFill += keep;
                        }
                        bodyLeft -= n;
                        p += n;
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
                    bodyLeft -= length; // the framing holds
                    keptFill = KEEP; // bytes after the gap are not kept: they would sit at the wrong place
                    return;
                }
                long messageEnd = offset + bodyLeft;
                bodyLeft = 0;
                finish(out);
                if (offset + length > messageEnd && !datagrams) {
                    out.lost(origin, messageEnd, offset + length);
                    state = State.RESYNC;
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
            state = State.RESYNC;
            headerFill = 0;
        }

        private boolean startMessage(MessageSink out) {
            if (!SomeIpHeader.plausible(header)) {
                out.malformed(origin, "bad header");
                state = datagrams ? State.HEADER : State.RESYNC;
                headerFill = 0;
                return false;
            }
            long length = SomeIpHeader.uint32(header, 4);
            bodyLeft = length - SomeIpHeader.COUNTED_HEADER;
            size = SomeIpHeader.SIZE + bodyLeft;
            keptFill = 0;
            state = State.BODY;
            if (bodyLeft == 0) {
                finish(out);
            }
            return true;
        }

        private void finish(MessageSink out) {
            reset();
            int messageId = (int) SomeIpHeader.uint32(header, 0);
            if (messageId == SomeIpHeader.MAGIC_COOKIE_CLIENT || messageId == SomeIpHeader.MAGIC_COOKIE_SERVER) {
                return; // a TCP resync marker, not a message
            }
            long total = size;
            if ((header[14] & SomeIpHeader.TP_FLAG) != 0 && keptFill >= 4) {
                long key = (messageId & 0xFFFF_FFFFL) << 32 | SomeIpHeader.uint32(header, 8);
                boolean more = (kept[3] & 0x01) != 0;
                long before = tpSizes.getOrDefault(key, 0L);
                if (more) {
                    tpSizes.put(key, before + size);
                    return;
                }
                tpSizes.remove(key);
                total += before;
            }
            out.message(origin, SomeIpMessages.toMessage(header, kept, keptFill, total), start, start + size);
        }

        private void reset() {
            state = State.HEADER;
            headerFill = 0;
            bodyLeft = 0;
        }

        /** The next index in {@code [from, limit)} where 16 bytes make a plausible header, or -1. */
        private static int findHeader(ByteBuffer chunk, int from, int limit) {
            for (int i = from; i + SomeIpHeader.SIZE <= limit; i++) {
                if (chunk.get(i + 12) == SomeIpHeader.PROTOCOL_VERSION && SomeIpHeader.plausible(chunk, i)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
