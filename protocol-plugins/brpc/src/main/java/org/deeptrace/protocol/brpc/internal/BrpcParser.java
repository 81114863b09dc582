package org.deeptrace.protocol.brpc.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.protocol.support.parser.LengthFramedParser;

/**
 * Frames the two byte streams of a baidu_std connection on the shared {@link LengthFramedParser}: a 12-byte header,
 * then a body of the announced size whose first part, the meta, is kept (at most {@link #META_LIMIT} bytes) and
 * decoded; the rest of the body is skipped by count. After bad bytes or a gap it cannot bridge, a stream looks for
 * the next {@code PRPC} header.
 */
final class BrpcParser extends LengthFramedParser {
    /** Meta bytes kept per message; a larger meta is decoded from this prefix. */
    static final int META_LIMIT = 64 * 1024;

    BrpcParser() {
        super(BrpcHeader.SIZE, BrpcHeader.MAX_BODY, META_LIMIT, false);
    }

    @Override
    protected long bodyLength(byte[] header) {
        long bodySize = BrpcHeader.uint32(header, 4);
        long metaSize = BrpcHeader.uint32(header, 8);
        return BrpcHeader.isMagic(header, 0) && BrpcHeader.plausible(bodySize, metaSize) ? bodySize : -1;
    }

    @Override
    protected String badHeader(byte[] header) {
        return BrpcHeader.isMagic(header, 0) ? "bad sizes" : "bad magic";
    }

    /** The meta: the body's first part. */
    @Override
    protected long prefixLength(byte[] header, long bodyLength) {
        return BrpcHeader.uint32(header, 8);
    }

    @Override
    protected void complete(Origin origin, byte[] header, byte[] meta, int metaLength, boolean whole, long start,
            long size, MessageSink out) {
        RpcMeta decoded = RpcMeta.decode(meta, 0, metaLength, whole);
        if (decoded == null) {
            out.malformed(origin, "bad meta");
        } else {
            out.message(origin, BrpcMessages.toMessage(decoded, origin, size), start, start + size);
        }
    }

    /**
     * The next {@code PRPC} in {@code [from, limit)} that is followed by plausible sizes (or by the chunk's end,
     * where the sizes cannot be checked yet), or -1.
     */
    @Override
    protected int findHeader(ByteBuffer chunk, int from, int limit) {
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
