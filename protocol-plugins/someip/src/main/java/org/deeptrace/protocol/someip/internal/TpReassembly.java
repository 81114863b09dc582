package org.deeptrace.protocol.someip.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * SOME/IP-TP reassembly for the messages one origin sends (AUTOSAR PRS_SOMEIPProtocol, "Transporting large SOME/IP
 * messages of UDP"). A segment is a SOME/IP message with the TP flag (0x20) in its message type and a 4-byte TP
 * header before its payload: the segment's byte offset in the original payload (upper 28 bits; the lower 4 bits
 * read as 0, so offsets are multiples of 16) and the More Segments flag (bit 0). The segments of one original
 * message share message id, request id, protocol and interface version, and message type (without the TP flag).
 *
 * <p>Only the coverage of the original payload is tracked, never its bytes: a reassembly holds the header of its
 * first segment (offset 0, when seen) and at most {@link #MAX_RANGES} disjoint byte ranges. The original message is
 * reported once, when the last segment (More Segments clear) has arrived and the ranges cover its payload,
 * whatever order the segments came in and however often one was repeated: its {@code size} is the original
 * message's, 16 + the payload length given by the last segment's offset and length; it starts at the first byte
 * of the earliest segment and ends with the segment that completed it; its return code is the last segment's.
 *
 * <p>A reassembly that cannot complete is reported as it stands (a {@code size} up to the highest byte seen) and
 * counted malformed ({@value #INCOMPLETE}) when: a segment with another session id arrives for the same message
 * (the specification's receiver starts a new reassembly then); the other end answers its request; more than
 * {@link #MAX_OPEN} reassemblies are open (the oldest goes); the connection ends. Segments of a message already
 * reported (repeated datagrams) are ignored.
 */
final class TpReassembly {
    /** Reassemblies (open or just reported) held at once; the oldest is reported incomplete when one more opens. */
    static final int MAX_OPEN = 64;
    /** Disjoint byte ranges per reassembly; a segment that would add one more is dropped (counted). */
    static final int MAX_RANGES = 16;
    /** The TP header: offset (28 bits, in units of 16 bytes) and 4 flag bits, the lowest More Segments. */
    static final int TP_HEADER = 4;
    static final String INCOMPLETE = "incomplete TP message";
    static final String BAD_SEGMENT = "bad TP segment";
    static final String DROPPED_SEGMENT = "TP segment dropped";
    /** The original payload is never kept: a segmented message is never SOME/IP-SD, whose first entry is read. */
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final Origin origin;
    /** By {@link #bufferKey}: what the specification calls the reassembly buffer; the session id is inside. */
    private final Map<Long, Reassembly> open = new LinkedHashMap<>();

    TpReassembly(Origin origin) {
        this.origin = origin;
    }

    /**
     * One segment, complete on the wire.
     *
     * @param header its 16-byte SOME/IP header
     * @param kept the first bytes of its body (the TP header first), {@code keptLength} of them
     * @param start stream offset of its first byte
     * @param size its bytes on the wire (header, TP header, segment)
     * @param answered the other end's reassemblies, for a response that answers a request still open there
     */
    void segment(byte[] header, byte[] kept, int keptLength, long start, long size, TpReassembly answered,
            MessageSink out) {
        long segmentLength = size - SomeIpHeader.SIZE - TP_HEADER;
        if (segmentLength < 0) {
            out.malformed(origin, BAD_SEGMENT); // shorter than its own TP header
            return;
        }
        long key = bufferKey(header);
        int session = SomeIpHeader.uint16(header, 10);
        Reassembly r = open.get(key);
        if (r != null && r.session != session) {
            open.remove(key);
            if (!r.reported) {
                report(r, false, out); // the next original message started: this one will not complete
            }
            r = null;
        }
        if (r == null) {
            r = new Reassembly(header, session, start);
            makeRoom(out);
            open.put(key, r);
        }
        if (r.reported) {
            return; // a repeated segment of a message already reported
        }
        r.end = Math.max(r.end, start + size);
        if (keptLength < TP_HEADER) {
            r.unplaced += segmentLength; // a capture gap hid the TP header: where this segment belongs is unknown
            return;
        }
        long tp = SomeIpHeader.uint32(kept, 0);
        long offset = tp & 0xFFFF_FFF0L;
        boolean more = (tp & 1) != 0;
        if (offset == 0) {
            System.arraycopy(header, 0, r.header, 0, SomeIpHeader.SIZE);
        }
        if (!more) {
            if (r.payloadLength < 0) {
                r.payloadLength = offset + segmentLength;
            }
            r.returnCode = header[15];
        }
        if (segmentLength > 0 && !r.add(offset, offset + segmentLength)) {
            out.malformed(origin, DROPPED_SEGMENT);
        }
        if (r.payloadLength >= 0 && r.covers(r.payloadLength)) {
            if (isResponse(r.header)) {
                answered.flushAnswered(r.header, out);
            }
            report(r, true, out);
        }
    }

    /** Before a response is reported: the request it answers, if still open here, is reported as it stands. */
    void flushAnswered(byte[] responseHeader, MessageSink out) {
        if (open.isEmpty()) {
            return;
        }
        long messageId = SomeIpHeader.uint32(responseHeader, 0);
        long requestId = SomeIpHeader.uint32(responseHeader, 8);
        for (Reassembly r : open.values()) {
            if (!r.reported && SomeIpHeader.uint32(r.header, 0) == messageId
                    && SomeIpHeader.uint32(r.header, 8) == requestId
                    && (SomeIpHeader.baseType(r.header[14] & 0xFF) & ~SomeIpHeader.ACK_FLAG) == SomeIpHeader.REQUEST) {
                report(r, false, out);
            }
        }
    }

    /** The connection ended: what is still open is reported as it stands. */
    void close(MessageSink out) {
        for (Reassembly r : open.values()) {
            if (!r.reported) {
                report(r, false, out);
            }
        }
        open.clear();
    }

    int openCount() {
        return open.size();
    }

    static boolean isResponse(byte[] header) {
        int base = SomeIpHeader.baseType(header[14] & 0xFF) & ~SomeIpHeader.ACK_FLAG;
        return base == SomeIpHeader.RESPONSE || base == SomeIpHeader.ERROR;
    }

    /**
     * Message id, client id, interface version and message type without the TP flag: the segments of one original
     * message agree on all of them (and on the session id, which tells one original message from the next).
     */
    private static long bufferKey(byte[] header) {
        return SomeIpHeader.uint32(header, 0) << 32 | (long) SomeIpHeader.uint16(header, 8) << 16
                | (header[13] & 0xFFL) << 8 | (header[14] & ~SomeIpHeader.TP_FLAG & 0xFFL);
    }

    private void makeRoom(MessageSink out) {
        if (open.size() < MAX_OPEN) {
            return;
        }
        Iterator<Reassembly> oldest = open.values().iterator();
        Reassembly r = oldest.next();
        oldest.remove();
        if (!r.reported) {
            report(r, false, out);
        }
    }

    private void report(Reassembly r, boolean complete, MessageSink out) {
        r.reported = true;
        byte[] header = r.header;
        header[14] = (byte) (header[14] & ~SomeIpHeader.TP_FLAG); // the original message's type
        if (r.returnCode >= 0) {
            header[15] = (byte) r.returnCode;
        }
        long payload = r.payloadLength >= 0 ? r.payloadLength : r.highestByte() + r.unplaced;
        out.message(origin, SomeIpMessages.toMessage(header, NO_PAYLOAD, 0, SomeIpHeader.SIZE + payload), r.start,
                r.end);
        if (!complete) {
            out.malformed(origin, INCOMPLETE);
        }
    }

    /** One original message being reassembled: its header and the byte ranges of its payload seen so far. */
    private static final class Reassembly {
        final byte[] header = new byte[SomeIpHeader.SIZE];
        final int session;
        final long start;
        long end;
        /** The original payload's length, known from the last segment; -1 before. */
        long payloadLength = -1;
        /** The last segment's return code, -1 before it arrived. */
        int returnCode = -1;
        /** Payload bytes of segments whose TP header a capture gap hid. */
        long unplaced;
        boolean reported;
        /** Sorted, disjoint, non-adjacent ranges {@code [ranges[2i], ranges[2i + 1])}. */
        private final long[] ranges = new long[2 * MAX_RANGES];
        private int count;

        Reassembly(byte[] firstHeader, int session, long start) {
            System.arraycopy(firstHeader, 0, header, 0, SomeIpHeader.SIZE);
            this.session = session;
            this.start = start;
            this.end = start;
        }

        /** Merges {@code [from, to)} into the ranges; false when it would need one range more than allowed. */
        boolean add(long from, long to) {
            int i = 0;
            while (i < count && ranges[2 * i + 1] < from) {
                i++; // ranges wholly before, not touching
            }
            int j = i;
            long lo = from;
            long hi = to;
            while (j < count && ranges[2 * j] <= to) {
                lo = Math.min(lo, ranges[2 * j]);
                hi = Math.max(hi, ranges[2 * j + 1]);
                j++; // ranges overlapping or touching: merged
            }
            int merged = j - i;
            if (merged == 0 && count == MAX_RANGES) {
                return false;
            }
            int newCount = count - merged + 1;
            System.arraycopy(ranges, 2 * j, ranges, 2 * (i + 1), 2 * (count - j));
            ranges[2 * i] = lo;
            ranges[2 * i + 1] = hi;
            count = newCount;
            return true;
        }

        boolean covers(long length) {
            return count == 1 && ranges[0] == 0 && ranges[1] >= length || length == 0 && count == 0;
        }

        long highestByte() {
            return count == 0 ? 0 : ranges[2 * count - 1];
        }
    }
}
