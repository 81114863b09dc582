package org.deeptrace.protocol.brpc.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Frames the two byte streams of a baidu_std connection. Each stream is its own state machine: header
 * (12 bytes, copied), meta (copied, at most {@link #META_LIMIT} bytes kept), rest of the body (skipped by count),
 * or resync (looking for the next {@code PRPC} header after bad bytes or a gap it cannot bridge).
 */
final class BrpcParser implements ConnectionParser {
    /** Meta bytes kept per message; a larger meta is decoded from this prefix. */
    static final int META_LIMIT = 64 * 1024;

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

    private enum State { HEADER, META, BODY, RESYNC }

    private static final class Stream {
        private final Origin origin;
        private State state = State.HEADER;
        private final byte[] header = new byte[BrpcHeader.SIZE];
        private int headerFill;
        private byte[] meta = new byte[256];
        private int metaFill;
        /** Meta bytes not yet consumed (kept or skipped). */
        private long metaLeft;
        private boolean metaCut;
        /** Body bytes after the meta not yet skipped. */
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
                        int found = findMagic(chunk, p, limit);
                        if (found < 0) {
                            return;
                        }
                        p = found;
                        state = State.HEADER;
                        headerFill = 0;
                    }
                    case HEADER -> {
                        if (headerFill == 0) {
                            start = offset + (p - base);
                        }
                        int n = Math.min(BrpcHeader.SIZE - headerFill, limit - p);
                        chunk.get(p, header, headerFill, n);
                        headerFill += n;
                        p += n;
                        if (headerFill == BrpcHeader.SIZE) {
                            startMessage(out);
                        }
                    }
                    case META -> {
                        int n = (int) Math.min(metaLeft, limit - p);
                        int keep = Math.min(n, META_LIMIT - metaFill);
                        if (keep > 0 && !metaCut) {
                            ensureMeta(metaFill + keep);
                            chunk.get(p, meta, metaFill, keep);
                            metaFill += keep;
                        }
                        if (keep < n) {
                            metaCut = true;
                        }
                        metaLeft -= n;
                        p += n;
                        if (metaLeft == 0) {
                            state = State.BODY;
                            if (bodyLeft == 0) {
                                finish(out);
                            }
                        }
                    }
                    case BODY -> {
                        int n = (int) Math.min(bodyLeft, limit - p);
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
            switch (state) {
                case HEADER -> {
                    if (headerFill == 0 && length > 0) {
                        out.lost(origin, offset, offset + length);
                    }
                    resync();
                }
                case META, BODY -> {
                    long left = metaLeft + bodyLeft;
                    if (length < 0) {
                        resync();
                    } else if (length < left) {
                        // the framing holds: the header said how long the message is
                        long fromMeta = Math.min(length, metaLeft);
                        if (fromMeta > 0) {
                            metaCut = true;
                            metaLeft -= fromMeta;
                        }
                        bodyLeft -= length - fromMeta;
                        if (metaLeft == 0) {
                            state = State.BODY;
                        }
                    } else {
                        metaCut |= metaLeft > 0;
                        metaLeft = 0;
                        bodyLeft = 0;
                        finish(out);
                        long end = offset + length;
                        long messageEnd = offset + left;
                        if (end > messageEnd) {
                            out.lost(origin, messageEnd, end);
                            resync();
                        }
                    }
                }
                default -> resync();
            }
        }

        private void startMessage(MessageSink out) {
            long bodySize = BrpcHeader.uint32(header, 4);
            long metaSize = BrpcHeader.uint32(header, 8);
            if (!BrpcHeader.isMagic(header, 0)) {
                out.malformed(origin, "bad magic");
                resync();
                return;
            }
            if (!BrpcHeader.plausible(bodySize, metaSize)) {
                out.malformed(origin, "bad sizes");
                resync();
                return;
            }
            size = BrpcHeader.SIZE + bodySize;
            metaLeft = metaSize;
            bodyLeft = bodySize - metaSize;
            metaFill = 0;
            metaCut = false;
            state = State.META;
        }

        private void finish(MessageSink out) {
            RpcMeta decoded = RpcMeta.decode(meta, 0, metaFill, !metaCut);
            if (decoded == null) {
                out.malformed(origin, "bad meta");
            } else {
                out.message(origin, BrpcMessages.toMessage(decoded, origin, size), start, start + size);
            }
            state = State.HEADER;
            headerFill = 0;
        }

        private void resync() {
            state = State.RESYNC;
            headerFill = 0;
            metaLeft = 0;
            bodyLeft = 0;
        }

        private void ensureMeta(int needed) {
            if (needed > meta.length) {
                byte[] bigger = new byte[Math.min(META_LIMIT, Math.max(needed, meta.length * 2))];
                System.arraycopy(meta, 0, bigger, 0, metaFill);
                meta = bigger;
            }
        }

        /**
         * The next {@code PRPC} in {@code [from, limit)} that is followed by plausible sizes (or by the chunk's end,
         * where the sizes cannot be checked yet), or -1.
         */
        private static int findMagic(ByteBuffer chunk, int from, int limit) {
            for (int i = from; i + 4 <= limit; i++) {
                if (chunk.get(i) == 'P' && BrpcHeader.isMagic(chunk, i)) {
                    if (i + BrpcHeader.SIZE > limit) {
                        return i;
                    }
                    long body = BrpcHeader.uint32(chunk, i + 4);
                    long meta = BrpcHeader.uint32(chunk, i + 8);
                    if (BrpcHeader.plausible(body, meta)) {
                        return i;
                    }
                }
            }
            return -1;
        }
    }
}
