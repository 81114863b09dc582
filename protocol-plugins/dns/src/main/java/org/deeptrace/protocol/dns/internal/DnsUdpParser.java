package org.deeptrace.protocol.dns.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * DNS over UDP: every chunk is one datagram, so one message. A datagram cut by the capture is parsed from what
 * was captured (its size is then the captured length); the gap that follows it is ignored.
 */
final class DnsUdpParser implements ConnectionParser {
    private byte[] scratch = new byte[512];

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        int n = chunk.remaining();
        if (scratch.length < n) {
            scratch = new byte[Math.min(Math.max(n, scratch.length * 2), 1 << 16)];
        }
        int take = Math.min(n, scratch.length);
        chunk.duplicate().get(scratch, 0, take);
        Object parsed = DnsMessage.parse(scratch, 0, take);
        if (parsed instanceof DnsMessage m) {
            out.message(origin, DnsMessages.toParsed(m, origin, n), offset, offset + n);
        } else {
            out.malformed(origin, ((DnsMessage.Failure) parsed).reason());
        }
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        // The uncaptured tail of a datagram (or whole lost datagrams): the next chunk is a new datagram anyway.
    }
}
