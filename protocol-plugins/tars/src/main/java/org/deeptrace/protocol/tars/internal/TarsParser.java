package org.deeptrace.protocol.tars.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.protocol.support.parser.LengthFramedParser;

/**
 * Frames the two byte streams of a Tars connection by their 4-byte lengths, on the shared
 * {@link LengthFramedParser}. The first {@link #KEEP} bytes of each packet after the length are copied and decoded
 * when the packet is complete (the header fields come first, the map fields after sBuffer are read when the packet
 * fits); the rest is skipped by count. A length says little, so the first bytes after it must also start like a
 * packet.
 */
final class TarsParser extends LengthFramedParser {
    /** Packet bytes kept for decoding. */
    static final int KEEP = 16 * 1024;

    TarsParser() {
        super(TarsFrame.LENGTH_SIZE, TarsFrame.MAX_PACKET - TarsFrame.LENGTH_SIZE, KEEP, false);
    }

    /** The length counts itself. */
    @Override
    protected long bodyLength(byte[] header) {
        long length = TarsFrame.uint32(ByteBuffer.wrap(header), 0);
        return TarsFrame.plausibleLength(length) ? length - TarsFrame.LENGTH_SIZE : -1;
    }

    @Override
    protected String badHeader(byte[] header) {
        return "bad length";
    }

    /** The iVersion and cPacketType fields. */
    @Override
    protected int bodyStartLength() {
        return 4;
    }

    @Override
    protected String checkBodyStart(byte[] kept, int keptLength) {
        return TarsFrame.plausibleStart(ByteBuffer.wrap(kept), 0, keptLength) ? null : "bad packet start";
    }

    @Override
    protected void complete(Origin origin, byte[] header, byte[] kept, int keptLength, boolean whole, long start,
            long size, MessageSink out) {
        TarsPacket packet = TarsPacket.decode(kept, 0, keptLength, whole);
        if (packet == null) {
            out.malformed(origin, "bad packet");
        } else {
            out.message(origin, TarsMessages.toMessage(packet, origin, size), start, start + size);
        }
    }

    /** The next offset in {@code [from, limit)} where a plausible length is followed by a plausible start. */
    @Override
    protected int findHeader(ByteBuffer chunk, int from, int limit) {
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
