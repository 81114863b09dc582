package org.deeptrace.protocol.someip.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.protocol.support.parser.LengthFramedParser;

/**
 * Frames SOME/IP messages by their length field, on the shared {@link LengthFramedParser}. Over TCP each direction
 * is a stream (messages may span chunks; after bad bytes or a gap the parser looks for the next plausible header);
 * over UDP each chunk is one datagram holding one or more whole messages, parsed on its own. SOME/IP-TP segments
 * are reassembled per direction ({@link TpReassembly}) into one message each.
 */
final class SomeIpParser extends LengthFramedParser {
    /** Payload bytes kept per message: the SOME/IP-TP header, the first SOME/IP-SD entry. */
    static final int KEEP = 64;

    private final TpReassembly clientTp = new TpReassembly(Origin.CLIENT);
    private final TpReassembly serverTp = new TpReassembly(Origin.SERVER);

    SomeIpParser(boolean datagrams) {
        super(SomeIpHeader.SIZE, SomeIpHeader.MAX_LENGTH - SomeIpHeader.COUNTED_HEADER, KEEP, datagrams);
    }

    /** SOME/IP-TP reassemblies held by this connection (open, or reported and kept to spot repeated segments). */
    int tpReassemblies() {
        return clientTp.openCount() + serverTp.openCount();
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
        TpReassembly own = origin == Origin.CLIENT ? clientTp : serverTp;
        TpReassembly other = origin == Origin.CLIENT ? serverTp : clientTp;
        if ((header[14] & SomeIpHeader.TP_FLAG) != 0) {
            own.segment(header, kept, keptLength, start, size, other, out);
            return;
        }
        if (TpReassembly.isResponse(header)) {
            other.flushAnswered(header, out); // a segmented request it answers is reported first
        }
        out.message(origin, SomeIpMessages.toMessage(header, kept, keptLength, size), start, start + size);
    }

    /** Segmented messages still open are reported as they stand. */
    @Override
    public void onClose(MessageSink out) {
        clientTp.close(out);
        serverTp.close(out);
    }
}
