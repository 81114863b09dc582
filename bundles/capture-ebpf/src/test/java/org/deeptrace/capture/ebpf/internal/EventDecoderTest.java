package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class EventDecoderTest {

    /** A record as the kernel writes it. */
    static byte[] event(int syscall, int dir, int family, byte[] laddr, int lport, byte[] raddr, int rport,
            int size, byte[] payload, Integer seq) {
        ByteBuffer b = ByteBuffer.allocate(EventLayout.HEADER_SIZE + payload.length).order(ByteOrder.nativeOrder());
        b.putLong(EventLayout.ENTER_NS, 1000).putLong(EventLayout.EXIT_NS, 2500);
        b.putInt(EventLayout.TGID, 42).putInt(EventLayout.TID, 43).putInt(EventLayout.FD, 7);
        b.putInt(EventLayout.SIZE, size).putInt(EventLayout.CAPTURED, payload.length);
        b.putInt(EventLayout.TCP_SEQ, seq == null ? 0 : seq);
        b.putShort(EventLayout.SYSCALL, (short) syscall);
        b.put(EventLayout.DIRECTION, (byte) dir).put(EventLayout.L4, (byte) EventLayout.PROTO_TCP);
        b.putShort(EventLayout.FAMILY, (short) family);
        b.putShort(EventLayout.LPORT, (short) lport).putShort(EventLayout.RPORT, (short) rport);
        b.put(EventLayout.FLAGS, (byte) (seq == null ? 0 : EventLayout.FLAG_HAS_SEQ));
        b.put(EventLayout.LADDR, laddr).put(EventLayout.RADDR, raddr);
        b.put(EventLayout.COMM, "redis-server".getBytes(StandardCharsets.US_ASCII));
        b.put(EventLayout.HEADER_SIZE, payload);
        return b.array();
    }

    static byte[] v4(int a, int b, int c, int d) {
        byte[] x = new byte[16];
        x[0] = (byte) a;
        x[1] = (byte) b;
        x[2] = (byte) c;
        x[3] = (byte) d;
        return x;
    }

    static ByteBuffer batch(byte[]... records) {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.nativeOrder());
        for (byte[] r : records) {
            int at = b.position();
            b.putInt(r.length).put(r);
            b.position(at + EventDecoder.align(4 + r.length));
        }
        return b;
    }

    @Test
    void decodesAnIpv4IngressRecordWithItsPayloadAndSequence() {
        byte[] payload = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] e = event(0, EventLayout.DIR_INGRESS, EventLayout.FAMILY_INET, v4(127, 0, 0, 1), 6379,
                v4(10, 1, 2, 3), 51000, payload.length, payload, 0xfffffff0);
        ByteBuffer b = batch(e);
        List<CaptureRecord> out = new ArrayList<>();
        EventDecoder d = new EventDecoder();
        assertEquals(1, d.decodeBatch(b, b.position(), out::add));
        CaptureRecord r = out.get(0);
        assertEquals(2500, r.tsNs());
        assertEquals(1000, r.enterNs());
        assertEquals(42, r.tgid());
        assertEquals(43, r.tid());
        assertEquals("redis-server", r.comm());
        assertEquals(7, r.fd());
        assertEquals("read", r.syscall());
        assertEquals(Direction.INGRESS, r.direction());
        assertEquals(Transport.TCP, r.l4());
        assertEquals("127.0.0.1:6379", r.local());
        assertEquals("10.1.2.3:51000", r.remote());
        assertEquals(0xfffffff0L, r.tcpSeq());
        assertEquals(payload.length, r.size());
        assertFalse(r.truncated());
        assertEquals(ByteBuffer.wrap(payload), r.payload());
        assertEquals(0, d.malformed());
    }

    @Test
    void marksTruncationAndAbsentSequenceAndDecodesSeveralRecords() {
        byte[] p = new byte[100];
        byte[] e1 = event(6, 1, EventLayout.FAMILY_INET, v4(1, 2, 3, 4), 1, v4(5, 6, 7, 8), 2, 5000, p, null);
        byte[] e2 = event(7, 1, EventLayout.FAMILY_INET, v4(1, 2, 3, 4), 1, v4(5, 6, 7, 8), 2, 3, new byte[3], 9);
        ByteBuffer b = batch(e1, e2);
        List<CaptureRecord> out = new ArrayList<>();
        assertEquals(2, new EventDecoder().decodeBatch(b, b.position(), out::add));
        assertEquals("writev", out.get(0).syscall());
        assertTrue(out.get(0).truncated());
        assertEquals(5000, out.get(0).size());
        assertEquals(100, out.get(0).capturedSize());
        assertFalse(out.get(0).hasTcpSeq());
        assertEquals("sendto", out.get(1).syscall());
        assertEquals(9, out.get(1).tcpSeq());
    }

    @Test
    void writesIpv6CompressedAndMappedIpv4AsIpv4() {
        byte[] loop6 = new byte[16];
        loop6[15] = 1;
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        byte[] doc = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        byte[] e = event(0, 0, EventLayout.FAMILY_INET6, loop6, 80, mapped, 9, 0, new byte[0], null);
        byte[] e2 = event(0, 0, EventLayout.FAMILY_INET6, doc, 443, new byte[16], 1, 0, new byte[0], null);
        ByteBuffer b = batch(e, e2);
        List<CaptureRecord> out = new ArrayList<>();
        new EventDecoder().decodeBatch(b, b.position(), out::add);
        assertEquals("[::1]:80", out.get(0).local());
        assertEquals("127.0.0.1:9", out.get(0).remote());
        assertEquals("[2001:db8::1:0:0:1]:443", out.get(1).local());
        assertEquals("[::]:1", out.get(1).remote());
    }

    @Test
    void cachedNamesAndAddressesStayRightAcrossManyDifferentValues() {
        EventDecoder d = new EventDecoder();
        // more distinct addresses and names than the caches have slots, each seen twice: collisions must miss
        int n = 3 * EventDecoder.ADDRESS_CACHE;
        List<CaptureRecord> out = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                byte[] e = event(0, 0, EventLayout.FAMILY_INET, v4(10, i >> 8 & 0xff, i & 0xff, 1), 1000 + i,
                        v4(10, 0, 0, 2), 80, 0, new byte[0], null);
                ByteBuffer.wrap(e).put(EventLayout.COMM, ("p" + (i % 200) + "\0\0\0\0").getBytes(StandardCharsets.US_ASCII));
                ByteBuffer b = batch(e);
                d.decodeBatch(b, b.position(), out::add);
            }
        }
        assertEquals(2 * n, out.size());
        for (int k = 0; k < 2 * n; k++) {
            int i = k % n;
            CaptureRecord r = out.get(k);
            assertEquals("10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".1:" + (1000 + i), r.local(), "record " + k);
            assertEquals("10.0.0.2:80", r.remote());
            assertEquals("p" + (i % 200), r.comm(), "record " + k);
        }
        assertSame(out.get(0).remote(), out.get(1).remote(), "a repeated address is the cached string");
    }

    @Test
    void countsMalformedRecordsInsteadOfThrowing() {
        byte[] p = new byte[10];
        byte[] badSyscall = event(99, 0, EventLayout.FAMILY_INET, v4(1, 1, 1, 1), 1, v4(2, 2, 2, 2), 2, 10, p, null);
        byte[] badFamily = event(0, 0, 1, v4(1, 1, 1, 1), 1, v4(2, 2, 2, 2), 2, 10, p, null);
        byte[] good = event(0, 0, EventLayout.FAMILY_INET, v4(1, 1, 1, 1), 1, v4(2, 2, 2, 2), 2, 10, p, null);
        ByteBuffer b = batch(badSyscall, badFamily, good);
        EventDecoder d = new EventDecoder();
        List<CaptureRecord> out = new ArrayList<>();
        assertEquals(1, d.decodeBatch(b, b.position(), out::add));
        assertEquals(2, d.malformed());
        // a length running past the batch stops decoding and is counted
        ByteBuffer cut = batch(good);
        assertEquals(0, d.decodeBatch(cut, cut.position() - 12, out::add));
        assertEquals(3, d.malformed());
    }
}
