package org.deeptrace.protocol.dns.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.protocol.support.parser.PerDirectionParser;

/**
 * DNS over TCP (RFC 1035 section 4.2.2, RFC 7766): each message follows its 2-byte length. Per direction, the
 * parser keeps only the head of the current message (header and question) and skips the rest of its body.
 *
 * <p>Gaps: a gap inside a message's body keeps the framing (the length is known) and the message is reported if
 * its head was captured. A gap between messages, or inside a length, loses the framing: the bytes are reported
 * lost and the parser waits for a chunk that starts with a plausible message (a new segment usually does).
 */
final class DnsTcpParser extends PerDirectionParser<DnsTcpParser.Framing> {
    /** Bytes kept of each message: a header, the longest name, type and class. */
    static final int HEAD_LIMIT = DnsMessage.HEADER + DnsNames.MAX_NAME + 4;

    DnsTcpParser() {
        super(Framing::new);
    }

    /** The framing state of one direction. */
    static final class Framing implements PerDirectionParser.Direction {
        private final Origin origin;
        private final byte[] head = new byte[HEAD_LIMIT];
        private boolean inSync = true;
        private int lengthBytes;
        private int length;
        private long messageStart;
        private long remaining;
        private int headFill;
        private boolean damaged;

        Framing(Origin origin) {
            this.origin = origin;
        }

        @Override
        public void data(long offset, ByteBuffer chunk, MessageSink out) {
            long pos = offset;
            if (!inSync) {
                if (!startsPlausibly(chunk)) {
                    return;
                }
                inSync = true;
                lengthBytes = 0;
            }
            while (chunk.hasRemaining()) {
                if (lengthBytes < 2) {
                    if (lengthBytes == 0) {
                        messageStart = pos;
                        length = 0;
                    }
                    length = (length << 8) | (chunk.get() & 0xff);
                    lengthBytes++;
                    pos++;
                    if (lengthBytes == 2) {
                        if (length < DnsMessage.HEADER) {
                            out.malformed(origin, "bad length");
                            inSync = false;
                            return;
                        }
                        remaining = length;
                        headFill = 0;
                        damaged = false;
                    }
                    continue;
                }
                int n = (int) Math.min(remaining, chunk.remaining());
                int keep = Math.min(n, HEAD_LIMIT - headFill);
                chunk.get(head, headFill, keep);
                headFill += keep;
                chunk.position(chunk.position() + (n - keep));
                remaining -= n;
                pos += n;
                if (remaining == 0) {
                    complete(out);
                }
            }
        }

        @Override
        public void gap(long offset, long gapLength, MessageSink out) {
            if (!inSync) {
                return;
            }
            if (gapLength < 0) {
                inSync = false;
                return;
            }
            if (lengthBytes < 2) {
                if (lengthBytes == 0) {
                    out.lost(origin, offset, offset + gapLength); // whole messages, as far as anyone can tell
                }
                inSync = false;
                return;
            }
            if (headFill < Math.min(length, HEAD_LIMIT)) {
                damaged = true; // the gap hides part of the head
            }
            if (gapLength <= remaining) {
                remaining -= gapLength;
                if (remaining == 0) {
                    complete(out);
                }
                return;
            }
            long beyond = gapLength - remaining;
            remaining = 0;
            complete(out);
            out.lost(origin, offset + gapLength - beyond, offset + gapLength);
            inSync = false;
        }

        private void complete(MessageSink out) {
            lengthBytes = 0;
            Object parsed = DnsMessage.parse(head, 0, headFill);
            if (parsed instanceof DnsMessage m) {
                out.message(origin, DnsMessages.toParsed(m, origin, 2L + length), messageStart,
                        messageStart + 2 + length);
            } else if (!damaged) {
                out.malformed(origin, ((DnsMessage.Failure) parsed).reason());
            }
        }

        /** Whether a chunk after lost bytes looks like the start of a message (length, header and question). */
        private static boolean startsPlausibly(ByteBuffer chunk) {
            ByteBuffer b = chunk.duplicate();
            if (b.remaining() < 2 + DnsMessage.HEADER) {
                return false;
            }
            byte[] bytes = new byte[Math.min(b.remaining(), 2 + HEAD_LIMIT)];
            b.get(bytes);
            int length = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
            if (length < DnsMessage.HEADER) {
                return false;
            }
            Object parsed = DnsMessage.parse(bytes, 2, Math.min(length, bytes.length - 2));
            return parsed instanceof DnsMessage m && m.name() != null;
        }
    }
}
