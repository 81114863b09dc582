package org.deeptrace.capture.pcap.internal;

import org.deeptrace.api.model.Transport;

/**
 * Decodes a frame down to its TCP or UDP payload: link layer (Ethernet with 802.1Q/802.1ad tags, Linux cooked
 * v1 and v2, raw IP, BSD loopback), IPv4 or IPv6 (with extension headers), then TCP or UDP. Anything else
 * (ARP, ICMP, IP fragments after the first, headers cut by the snap length) yields null and a reason.
 */
final class PacketDecoder {
    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int DLT_RAW_BSD = 12;
    static final int DLT_RAW_OPENBSD = 14;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int IP_TCP = 6;
    private static final int IP_UDP = 17;

    private String skipReason;

    /** Why the last {@link #decode} returned null. */
    String skipReason() {
        return skipReason;
    }

    Packet decode(Frame f) {
        byte[] b = f.data();
        int n = f.capturedLength();
        int ip;
        switch (f.linkType()) {
            case LINKTYPE_ETHERNET -> {
                if (n < 14) {
                    return skip("short ethernet header");
                }
                int type = u16(b, 12);
                int at = 14;
                while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
                    if (n < at + 4) {
                        return skip("short vlan tag");
                    }
                    type = u16(b, at + 2);
                    at += 4;
                }
                if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6) {
                    return skip("not ip");
                }
                ip = at;
            }
            case LINKTYPE_LINUX_SLL -> {
                if (n < 16) {
                    return skip("short linux cooked header");
                }
                if (!isIpEtherType(u16(b, 14))) {
                    return skip("not ip");
                }
                ip = 16;
            }
            case LINKTYPE_LINUX_SLL2 -> {
                if (n < 20) {
                    return skip("short linux cooked v2 header");
                }
                if (!isIpEtherType(u16(b, 0))) {
                    return skip("not ip");
                }
                ip = 20;
            }
            // The 4-byte address family is in the capturing host's byte order (NULL) or network order (LOOP):
            // the IP version nibble that follows says the same more reliably.
            case LINKTYPE_NULL, LINKTYPE_LOOP -> ip = 4;
            case LINKTYPE_RAW, DLT_RAW_BSD, DLT_RAW_OPENBSD, LINKTYPE_IPV4, LINKTYPE_IPV6 -> ip = 0;
            default -> {
                return skip("unsupported link type " + f.linkType());
            }
        }
        if (n < ip + 1) {
            return skip("short ip header");
        }
        int version = (b[ip] & 0xff) >>> 4;
        int wireAfterIp = f.originalLength() - ip;
        if (version == 4) {
            return ipv4(b, n, ip, wireAfterIp);
        }
        if (version == 6) {
            return ipv6(b, n, ip, wireAfterIp);
        }
        return skip("not ip");
    }

    private Packet ipv4(byte[] b, int n, int ip, int wireAfterIp) {
        if (n < ip + 20) {
            return skip("short ipv4 header");
        }
        int headerLength = (b[ip] & 0x0f) * 4;
        if (headerLength < 20 || n < ip + headerLength) {
            return skip("short ipv4 header");
        }
        int totalLength = u16(b, ip + 2);
        int flagsAndOffset = u16(b, ip + 6);
        if ((flagsAndOffset & 0x3fff) != 0) {
            return skip("ip fragment");
        }
        // A total length of 0 is what captures of TCP segmentation offload show: the frame's length is the truth.
        int l4Length = (totalLength == 0 ? wireAfterIp : Math.min(totalLength, wireAfterIp)) - headerLength;
        if (totalLength != 0 && totalLength < headerLength) {
            return skip("bad ipv4 length");
        }
        String src = Addresses.ipv4(b, ip + 12);
        String dst = Addresses.ipv4(b, ip + 16);
        return transport(b, n, b[ip + 9] & 0xff, ip + headerLength, l4Length, src, dst, false);
    }

    private Packet ipv6(byte[] b, int n, int ip, int wireAfterIp) {
        if (n < ip + 40) {
            return skip("short ipv6 header");
        }
        int payloadLength = u16(b, ip + 4);
        int next = b[ip + 6] & 0xff;
        int at = ip + 40;
        int l4Length = (payloadLength == 0 ? wireAfterIp - 40 : Math.min(payloadLength, wireAfterIp - 40));
        for (int hops = 0; hops < 16; hops++) {
            if (next == IP_TCP || next == IP_UDP) {
                String src = Addresses.ipv6(b, ip + 8);
                String dst = Addresses.ipv6(b, ip + 24);
                return transport(b, n, next, at, l4Length, src, dst, true);
            }
            if (n < at + 8) {
                return skip("short ipv6 extension header");
            }
            int length;
            switch (next) {
                case 0, 43, 60 -> length = ((b[at + 1] & 0xff) + 1) * 8; // hop-by-hop, routing, destination options
                case 51 -> length = ((b[at + 1] & 0xff) + 2) * 4; // authentication header
                case 44 -> { // fragment header
                    if ((u16(b, at + 2) & 0xfff9) != 0) {
                        return skip("ip fragment");
                    }
                    length = 8;
                }
                default -> {
                    return skip("not tcp or udp");
                }
            }
            next = b[at] & 0xff;
            at += length;
            l4Length -= length;
        }
        return skip("too many ipv6 extension headers");
    }

    private Packet transport(byte[] b, int n, int protocol, int at, int l4Length, String srcIp, String dstIp,
            boolean v6) {
        if (protocol == IP_TCP) {
            if (n < at + 20) {
                return skip("short tcp header");
            }
            int headerLength = ((b[at + 12] & 0xff) >>> 4) * 4;
            if (headerLength < 20 || n < at + headerLength || l4Length < headerLength) {
                return skip("short tcp header");
            }
            int srcPort = u16(b, at);
            int dstPort = u16(b, at + 2);
            long seq = ((b[at + 4] & 0xffL) << 24) | ((b[at + 5] & 0xffL) << 16) | ((b[at + 6] & 0xffL) << 8)
                    | (b[at + 7] & 0xffL);
            int flags = b[at + 13] & 0xff;
            int from = at + headerLength;
            int wire = l4Length - headerLength;
            return new Packet(Transport.TCP, Addresses.withPort(srcIp, v6, srcPort), srcPort,
                    Addresses.withPort(dstIp, v6, dstPort), dstPort, seq, (flags & 0x02) != 0, (flags & 0x10) != 0,
                    from, Math.max(0, Math.min(wire, n - from)), wire);
        }
        if (protocol == IP_UDP) {
            if (n < at + 8) {
                return skip("short udp header");
            }
            int srcPort = u16(b, at);
            int dstPort = u16(b, at + 2);
            int udpLength = u16(b, at + 4);
            int wire = (udpLength >= 8 ? Math.min(udpLength, l4Length) : l4Length) - 8;
            if (wire < 0) {
                return skip("bad udp length");
            }
            int from = at + 8;
            return new Packet(Transport.UDP, Addresses.withPort(srcIp, v6, srcPort), srcPort,
                    Addresses.withPort(dstIp, v6, dstPort), dstPort, -1, false, false, from,
                    Math.max(0, Math.min(wire, n - from)), wire);
        }
        return skip("not tcp or udp");
    }

    private static boolean isIpEtherType(int type) {
        return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6;
    }

    private Packet skip(String reason) {
        skipReason = reason;
        return null;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
}
