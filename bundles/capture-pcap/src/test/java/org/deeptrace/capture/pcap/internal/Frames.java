package org.deeptrace.capture.pcap.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds link-layer frames and capture files byte by byte, for the cases no recording covers. */
final class Frames {
    static final int SYN = 0x02;
    static final int ACK = 0x10;
    static final int PSH_ACK = 0x18;

    private Frames() {
    }

    /** An IPv4 packet carrying a TCP segment. */
    static byte[] ipv4Tcp(String src, int srcPort, String dst, int dstPort, long seq, int flags, String payload) {
        return ipv4(src, dst, 6, tcp(srcPort, dstPort, seq, flags, bytes(payload)));
    }

    /** An IPv4 packet carrying a UDP datagram. */
    static byte[] ipv4Udp(String src, int srcPort, String dst, int dstPort, byte[] payload) {
        return ipv4(src, dst, 17, udp(srcPort, dstPort, payload));
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(v4(src)).put(v4(dst)).put(l4);
        return b.array();
    }

    /** An IPv6 packet; {@code hopByHop} inserts an 8-byte hop-by-hop options header before the transport. */
    static byte[] ipv6(byte[] src, byte[] dst, int protocol, byte[] l4, boolean hopByHop) {
        int ext = hopByHop ? 8 : 0;
        ByteBuffer b = ByteBuffer.allocate(40 + ext + l4.length);
        b.putInt(0x60000000).putShort((short) (ext + l4.length)).put((byte) (hopByHop ? 0 : protocol)).put((byte) 64)
                .put(src).put(dst);
        if (hopByHop) {
            b.put((byte) protocol).put((byte) 0).put(new byte[6]);
        }
        b.put(l4);
        return b.array();
    }

    static byte[] tcp(int srcPort, int dstPort, long seq, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt(0).put((byte) 0x50)
                .put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        return b.array();
    }

    static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return b.array();
    }

    /** Ethernet framing, with one 802.1Q tag per given VLAN id. */
    static byte[] ethernet(byte[] ip, int... vlans) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + ip.length);
        b.put(new byte[12]);
        for (int vlan : vlans) {
            b.putShort((short) 0x8100).putShort((short) vlan);
        }
        b.putShort((short) ((ip[0] >>> 4) == 6 ? 0x86DD : 0x0800)).put(ip);
        return b.array();
    }

    /** BSD loopback (LINKTYPE_NULL) framing: the address family in little-endian order. */
    static byte[] nullLink(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(4 + ip.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((ip[0] >>> 4) == 6 ? 30 : 2).put(ip);
        return b.array();
    }

    static byte[] v4(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (byte) Integer.parseInt(parts[i]);
        }
        return a;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A classic pcap file. {@code frames[i]} is captured up to {@code snap} bytes, stamped {@code ts[i]} ns. */
    static byte[] classicPcap(boolean bigEndian, boolean nanos, int linkType, int snap, long[] ts, byte[]... frames) {
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(snap).putInt(linkType);
        out.writeBytes(h.array());
        for (int i = 0; i < frames.length; i++) {
            int captured = Math.min(snap, frames[i].length);
            ByteBuffer r = ByteBuffer.allocate(16).order(order);
            long seconds = ts[i] / 1_000_000_000L;
            long fraction = ts[i] % 1_000_000_000L;
            r.putInt((int) seconds).putInt((int) (nanos ? fraction : fraction / 1000)).putInt(captured)
                    .putInt(frames[i].length);
            out.writeBytes(r.array());
            out.write(frames[i], 0, captured);
        }
        return out.toByteArray();
    }

    /** Writes pcapng blocks in one byte order. */
    static final class PcapNg {
        private final ByteOrder order;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        PcapNg(boolean bigEndian) {
            this.order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }

        PcapNg section() {
            ByteBuffer b = body(16);
            b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
            return block(0x0A0D0D0A, b);
        }

        /** An interface; {@code tsresol} is the raw option byte, or -1 for the default (microseconds). */
        PcapNg interfaceDescription(int linkType, int snap, int tsresol) {
            ByteBuffer b = body(tsresol < 0 ? 8 : 8 + 8 + 4);
            b.putShort((short) linkType).putShort((short) 0).putInt(snap);
            if (tsresol >= 0) {
                b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
                b.putShort((short) 0).putShort((short) 0);
            }
            return block(1, b);
        }

        PcapNg enhancedPacket(int interfaceId, long units, byte[] frame) {
            int padded = (frame.length + 3) & ~3;
            ByteBuffer b = body(20 + padded);
            b.putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units).putInt(frame.length)
                    .putInt(frame.length).put(frame).put(new byte[padded - frame.length]);
            return block(6, b);
        }

        PcapNg simplePacket(byte[] frame) {
            int padded = (frame.length + 3) & ~3;
            ByteBuffer b = body(4 + padded);
            b.putInt(frame.length).put(frame).put(new byte[padded - frame.length]);
            return block(3, b);
        }

        /** A block of a type this reader does not know (it must be skipped). */
        PcapNg unknownBlock() {
            ByteBuffer b = body(8);
            b.putLong(0x1122334455667788L);
            return block(0x0BAD, b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private ByteBuffer body(int length) {
            return ByteBuffer.allocate(length).order(order);
        }

        private PcapNg block(int type, ByteBuffer body) {
            int total = 12 + body.capacity();
            ByteBuffer b = ByteBuffer.allocate(total).order(order);
            b.putInt(type).putInt(total).put(body.array()).putInt(total);
            out.writeBytes(b.array());
            return this;
        }
    }
}
