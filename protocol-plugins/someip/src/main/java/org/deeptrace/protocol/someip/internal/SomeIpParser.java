package org.deeptrace.protocol.someip.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.protocol.support.parser.LengthFramedParser;

/**
 * Frames SOME/IP messages by their length field, on the shared {@link LengthFramedParser}. Over TCP each direction
 * is a stream (messages may span chunks; after bad bytes or a gap the parser looks for the next plausible header);
 * over UDP each chunk is one datagram holding one or more whole messages, parsed on its own. SOME/IP-TP segments
 * are counted until the last one (More Segments flag clear), which is reported as the message.
 */
final class SomeIpParser extends LengthFramedParser {
    /** Payload bytes kept per message: the TP header and the first SOME/IP-SD entry. */
    static final int KEEP = 64;
    /** SOME/IP-TP messages being reassembled (by counting) at once per direction. */
    static final int MAX_TP_PENDING = 64;

    /** Sizes of the segments seen so far of each SOME/IP-TP message, per origin, by message id and request id. */
    private final Map<Origin, Map<Long, Long>> tpSizes = new EnumMap<>(Origin.class);

    SomeIpParser(boolean datagrams) {
        super(SomeIpHeader.SIZE, SomeIpHeader.MAX_LENGTH - SomeIpHeader.COUNTED_HEADER, KEEP, datagrams);
        for (Origin o : Origin.values()) {
            tpSizes.put(o, new LinkedHashMap<>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                    return size() > MAX_TP_PENDING;
                }
            });
        }
    }

    /** The length field counts the last 8 bytes of the header too. */
    @Override
    protected long bodyLength(byte[] header) {
        return SomeIpHeader.plausible(header) ? SomeIpHeader.uint32(header, 4) - SomeIpHeader.COUNTED_HEADER : -1;
    }

    @Override
    protected String badHeader(byte[] header) {
        return "bad header";
    }

    /** A bad header may hide a good one one byte on. */
    @Override
    protected int rescanFrom() {
        return 1;
    }

    /** The next index in {@code [from, limit)} where 16 bytes make a plausible header, or -1. */
    @Override
    protected int findHeader(ByteBuffer chunk, int from, int limit) {
        for (int i = from; i + SomeIpHeader.SIZE <= limit; i++) {
            if (chunk.get(i + 12) == SomeIpHeader.PROTOCOL_VERSION && SomeIpHeader.plausible(chunk, i)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    protected void complete(Origin origin, byte[] header, byte[] kept, int keptLength, boolean whole, long start,
            long size, MessageSink out) {
        int messageId = (int) SomeIpHeader.uint32(header, 0);
        if (messageId == SomeIpHeader.MAGIC_COOKIE_CLIENT || messageId == SomeIpHeader.MAGIC_COOKIE_SERVER) {
            return; // a TCP resync marker, not a message
        }
        long total = size;
        if ((header[14] & SomeIpHeader.TP_FLAG) != 0 && keptLength >= 4) {
            Map<Long, Long> pending = tpSizes.get(origin);
            long key = (messageId & 0xFFFF_FFFFL) << 32 | SomeIpHeader.uint32(header, 8);
            boolean more = (kept[3] & 0x01) != 0;
            long before = pending.getOrDefault(key, 0L);
            if (more) {
                pending.put(key, before + size);
                return;
            }
            pending.remove(key);
            total += before;
        }
        out.message(origin, SomeIpMessages.toMessage(header, kept, keptLength, total), start, start + size);
    }
}
