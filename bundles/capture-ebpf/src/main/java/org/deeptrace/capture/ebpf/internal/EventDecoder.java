package org.deeptrace.capture.ebpf.internal;

import static org.deeptrace.capture.ebpf.internal.EventLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;

/**
 * Turns ring-buffer records (struct dt_event + payload, host byte order) into {@link CaptureRecord}s. The
 * payload is copied out: the batch buffer is reused by the next poll. Process names and IPv4 addresses repeat
 * from record to record: small direct-mapped caches hand out the same String instead of building one per record
 * (at tens of thousands of records per second the strings were most of the decoder's garbage). One decoder
 * belongs to one thread.
 */
final class EventDecoder {

    static final int COMM_CACHE = 64;
    static final int ADDRESS_CACHE = 1024;

    /** Records that could not be decoded (bad length, unknown syscall or family): counted, never thrown. */
    private long malformed;
    private final long[] commKeyLow = new long[COMM_CACHE];
    private final long[] commKeyHigh = new long[COMM_CACHE];
    private final String[] commValue = new String[COMM_CACHE];
    /** IPv4 address and port as {@code 1 << 48 | addr << 16 | port} (0: empty slot). */
    private final long[] addressKey = new long[ADDRESS_CACHE];
    private final String[] addressValue = new String[ADDRESS_CACHE];

    long malformed() {
        return malformed;
    }

    /** Decodes a batch written by {@link NativeBridge#poll}: {@code length} bytes from position 0. */
    int decodeBatch(ByteBuffer batch, int length, Consumer<CaptureRecord> out) {
        ByteBuffer b = batch.duplicate().order(ByteOrder.nativeOrder());
        int pos = 0;
        int records = 0;
        while (pos + 4 <= length) {
            int len = b.getInt(pos);
            if (len < HEADER_SIZE || pos + 4 + len > length) {
                malformed++;
                break;
            }
            CaptureRecord r = decode(b, pos + 4, len);
            if (r != null) {
                out.accept(r);
                records++;
            }
            pos += align(4 + len);
        }
        return records;
    }

    static int align(int n) {
        return (n + BATCH_RECORD_ALIGN - 1) & -BATCH_RECORD_ALIGN;
    }

    /** One record of {@code len} bytes at {@code at}; null (counted) when malformed. */
    CaptureRecord decode(ByteBuffer b, int at, int len) {
        b = b.order() == ByteOrder.nativeOrder() ? b : b.duplicate().order(ByteOrder.nativeOrder());
        int captured = b.getInt(at + CAPTURED);
        int syscall = b.getShort(at + SYSCALL) & 0xffff;
        int family = b.getShort(at + FAMILY) & 0xffff;
        int l4 = b.get(at + L4) & 0xff;
        int size = b.getInt(at + SIZE);
        if (captured < 0 || HEADER_SIZE + captured > len || syscall >= SYSCALLS.length
                || (family != FAMILY_INET && family != FAMILY_INET6) || (l4 != PROTO_TCP && l4 != PROTO_UDP)
                || size < captured) {
            malformed++;
            return null;
        }
        byte[] payload = new byte[captured];
        b.get(at + HEADER_SIZE, payload);
        boolean hasSeq = (b.get(at + FLAGS) & FLAG_HAS_SEQ) != 0;
        return new CaptureRecord(
                b.getLong(at + EXIT_NS),
                b.getLong(at + ENTER_NS),
                b.getInt(at + TGID),
                b.getInt(at + TID),
                comm(b, at + COMM),
                b.getInt(at + FD),
                SYSCALLS[syscall],
                b.get(at + DIRECTION) == DIR_INGRESS ? Direction.INGRESS : Direction.EGRESS,
                l4 == PROTO_TCP ? Transport.TCP : Transport.UDP,
                address(b, at + LADDR, family == FAMILY_INET6, b.getShort(at + LPORT) & 0xffff),
                address(b, at + RADDR, family == FAMILY_INET6, b.getShort(at + RPORT) & 0xffff),
                hasSeq ? b.getInt(at + TCP_SEQ) & 0xffffffffL : CaptureRecord.ABSENT,
                size,
                ByteBuffer.wrap(payload),
                captured < size);
    }

    private String address(ByteBuffer b, int at, boolean v6, int port) {
        if (v6) {
            return Addresses.format(b, at, true, port);
        }
        long key = 1L << 48 | (b.getInt(at) & 0xffffffffL) << 16 | port;
        int slot = (int) (key ^ key >>> 16 ^ key >>> 29) & (ADDRESS_CACHE - 1);
        if (addressKey[slot] != key) {
            addressValue[slot] = Addresses.format(b, at, false, port);
            addressKey[slot] = key;
        }
        return addressValue[slot];
    }

    private String comm(ByteBuffer b, int at) {
        long low = b.getLong(at);
        long high = b.getLong(at + 8);
        long h = low * 0x9E3779B97F4A7C15L ^ high;
        int slot = (int) (h ^ h >>> 32) & (COMM_CACHE - 1);
        String cached = commValue[slot];
        if (cached == null || commKeyLow[slot] != low || commKeyHigh[slot] != high) {
            cached = readComm(b, at);
            commValue[slot] = cached;
            commKeyLow[slot] = low;
            commKeyHigh[slot] = high;
        }
        return cached;
    }

    private static String readComm(ByteBuffer b, int at) {
        int n = 0;
        while (n < COMM_LEN && b.get(at + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
