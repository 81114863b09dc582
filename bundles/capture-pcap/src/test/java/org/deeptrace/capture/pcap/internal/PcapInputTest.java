package org.deeptrace.capture.pcap.internal;

import static org.deeptrace.capture.pcap.internal.Frames.ACK;
import static org.deeptrace.capture.pcap.internal.Frames.PSH_ACK;
import static org.deeptrace.capture.pcap.internal.Frames.SYN;
import static org.deeptrace.capture.pcap.internal.Frames.ipv4Tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.capture.CaptureInput.ReadStats;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapInputTest {
    private static final ReadOptions STRICT = new ReadOptions(false);
    private static final ReadOptions LENIENT = new ReadOptions(true);

    @TempDir
    Path tmp;

    private final PcapInput input = new PcapInput();

    // ---- recorded on loopback with tcpdump (src/test/recording/record.sh)

    @ParameterizedTest
    @ValueSource(strings = {"http-lo-ethernet.pcap", "http-any-sll2.pcap", "http-lo-sll.pcap"})
    void recordedHttpExchangesBecomeServerSideRecords(String name) throws Exception {
        List<CaptureRecord> records = read(resource(name), STRICT);

        // Three connections (two over IPv4, one over IPv6), each one request and a response in two segments.
        assertEquals(9, records.size(), () -> name + ": " + records);
        for (CaptureRecord r : records) {
            assertTrue(r.local().endsWith(":18080"), "local is always the server: " + r);
            assertEquals(Transport.TCP, r.l4());
            assertEquals(0, r.tgid());
            assertEquals("pcap", r.comm());
            assertFalse(r.truncated());
            assertEquals(r.size(), r.capturedSize());
            assertTrue(r.hasTcpSeq());
            String text = text(r);
            if (r.direction() == Direction.INGRESS) {
                assertTrue(text.startsWith("GET /"), text);
            }
        }
        assertEquals("[::1]:18080", records.get(6).local());
        assertTrue(records.get(6).remote().startsWith("[::1]:"));
        assertTrue(text(records.get(1)).startsWith("HTTP/1.0 200 OK"));
        assertEquals(Direction.EGRESS, records.get(1).direction());
        // The response's second segment follows its first in sequence space.
        CaptureRecord first = records.get(1);
        CaptureRecord second = records.get(2);
        assertEquals((first.tcpSeq() + first.size()) & 0xffffffffL, second.tcpSeq());
    }

    @Test
    void microsecondAndNanosecondTimestampsAreExact() throws Exception {
        // tcpdump -tt prints 1795623246.314308 for the first data segment of the Ethernet recording, and
        // 1795623248.373081646 (with --time-stamp-precision=nano) for the cooked v2 one.
        assertEquals(1795623246314308000L, read(resource("http-lo-ethernet.pcap"), STRICT).get(0).tsNs());
        assertEquals(1795623248373081646L, read(resource("http-any-sll2.pcap"), STRICT).get(0).tsNs());
    }

    @Test
    void acceptsPcapAndPcapngMagicOnly() {
        assertTrue(input.accepts(tmp, new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1}));
        assertTrue(input.accepts(tmp, new byte[] {(byte) 0xa1, (byte) 0xb2, (byte) 0x3c, (byte) 0x4d}));
        assertTrue(input.accepts(tmp, new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0}));
        assertFalse(input.accepts(tmp, "{\"ts_ns\":1}".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(input.accepts(tmp, new byte[] {(byte) 0xd4}));
    }

    // ---- synthetic files for what the recordings do not show

    @Test
    void bigEndianNanosecondPcapWithVlanTags() throws Exception {
        byte[] frame = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1000, PSH_ACK, "ping"), 10, 20);
        Path file = write("be.pcap", Frames.classicPcap(true, true, 1, 65535, new long[] {1_000_000_123L}, frame));
        CaptureRecord r = read(file, STRICT).get(0);
        assertEquals(1_000_000_123L, r.tsNs());
        assertEquals("10.0.0.2:80", r.local());
        assertEquals("10.0.0.1:40000", r.remote());
        assertEquals(Direction.INGRESS, r.direction());
        assertEquals(1000, r.tcpSeq());
        assertEquals("ping", text(r));
    }

    @Test
    void handshakeDecidesTheServerEvenAgainstThePortRule() throws Exception {
        // The server listens on 50000 and the client connects from port 80: only the SYN tells them apart.
        byte[] syn = Frames.ethernet(ipv4Tcp("10.0.0.1", 80, "10.0.0.2", 50000, 99, SYN, ""));
        byte[] request = Frames.ethernet(ipv4Tcp("10.0.0.1", 80, "10.0.0.2", 50000, 100, PSH_ACK, "hello"));
        byte[] reply = Frames.ethernet(ipv4Tcp("10.0.0.2", 50000, "10.0.0.1", 80, 7000, PSH_ACK, "world"));
        Path file = write("syn.pcap", Frames.classicPcap(false, false, 1, 65535, new long[] {1000, 2000, 3000},
                syn, request, reply));
        List<CaptureRecord> records = read(file, STRICT);
        assertEquals(2, records.size());
        assertEquals("10.0.0.2:50000", records.get(0).local());
        assertEquals(Direction.INGRESS, records.get(0).direction());
        assertEquals(Direction.EGRESS, records.get(1).direction());
        assertEquals("10.0.0.1:80", records.get(1).remote());
    }

    @Test
    void withoutAHandshakeTheLowerPortIsTheServer() throws Exception {
        byte[] reply = Frames.ethernet(ipv4Tcp("10.0.0.2", 6379, "10.0.0.1", 51000, 7000, PSH_ACK, "+OK\r\n"));
        byte[] request = Frames.ethernet(ipv4Tcp("10.0.0.1", 51000, "10.0.0.2", 6379, 300, PSH_ACK, "PING\r\n"));
        Path file = write("mid.pcap", Frames.classicPcap(false, false, 1, 65535, new long[] {1000, 2000}, reply,
                request));
        List<CaptureRecord> records = read(file, STRICT);
        assertEquals(Direction.EGRESS, records.get(0).direction());
        assertEquals("10.0.0.2:6379", records.get(0).local());
        assertEquals(Direction.INGRESS, records.get(1).direction());
        assertEquals("10.0.0.2:6379", records.get(1).local());
    }

    @Test
    void aSegmentAheadOfTheStreamStartWaitsForTheStartWhenTheSynWasSeen() throws Exception {
        byte[] syn = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 99, SYN, ""));
        byte[] second = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 103, PSH_ACK, "defg"));
        byte[] first = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 100, PSH_ACK, "abc"));
        Path withSyn = write("held.pcap", Frames.classicPcap(false, false, 1, 65535, new long[] {1000, 2000, 3000}, syn,
                second, first));
        List<CaptureRecord> records = read(withSyn, STRICT);
        assertEquals(List.of("abc", "defg"), records.stream().map(PcapInputTest::text).toList());
        assertEquals(List.of(3000L, 2000L), records.stream().map(CaptureRecord::tsNs).toList(),
                "times stay the frames'");

        Path withoutSyn = write("nosyn.pcap", Frames.classicPcap(false, false, 1, 65535, new long[] {2, 3}, second,
                first));
        assertEquals(List.of("defg", "abc"), read(withoutSyn, STRICT).stream().map(PcapInputTest::text).toList(),
                "without a SYN nobody knows where the stream starts: capture order");

        // The start never comes: what was held goes on at the end of the file, in sequence order.
        byte[] third = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 107, PSH_ACK, "hi"));
        Path lost = write("lost.pcap", Frames.classicPcap(false, false, 1, 65535, new long[] {1, 2, 3}, syn, third,
                second));
        assertEquals(List.of("defg", "hi"), read(lost, STRICT).stream().map(PcapInputTest::text).toList());
    }

    @Test
    void snapLengthCutsThePayloadAndMarksTheRecordTruncated() throws Exception {
        byte[] frame = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1, PSH_ACK, "0123456789"));
        int snap = frame.length - 6;
        Path file = write("snap.pcap", Frames.classicPcap(false, false, 1, snap, new long[] {5}, frame));
        CaptureRecord r = read(file, STRICT).get(0);
        assertTrue(r.truncated());
        assertEquals(10, r.size());
        assertEquals("0123", text(r));
    }

    @Test
    void rawIpAndLoopbackLinkTypesWithIpv6AndUdp() throws Exception {
        byte[] v6a = new byte[16];
        v6a[15] = 1;
        byte[] v6b = new byte[16];
        v6b[0] = 0x20;
        v6b[1] = 0x01;
        v6b[2] = 0x0d;
        v6b[3] = (byte) 0xb8;
        v6b[15] = 2;
        byte[] udp6 = Frames.ipv6(v6a, v6b, 17, Frames.udp(5353, 53, Frames.bytes("query")), true);
        byte[] udp4 = Frames.ipv4Udp("192.168.1.9", 53, "192.168.1.7", 33000, Frames.bytes("answer"));
        for (int linkType : new int[] {101, 12, 228, 229}) {
            byte[] frame = linkType == 228 ? udp4 : udp6;
            Path file = write("raw" + linkType + ".pcap", Frames.classicPcap(false, false, linkType, 65535,
                    new long[] {1}, frame));
            CaptureRecord r = read(file, STRICT).get(0);
            assertEquals(Transport.UDP, r.l4());
            assertEquals(CaptureRecord.ABSENT, r.tcpSeq());
            if (linkType == 228) {
                assertEquals("192.168.1.9:53", r.local());
                assertEquals(Direction.EGRESS, r.direction());
                assertEquals("answer", text(r));
            } else {
                assertEquals("[2001:db8::2]:53", r.local());
                assertEquals("[::1]:5353", r.remote());
                assertEquals(Direction.INGRESS, r.direction());
                assertEquals("query", text(r));
            }
        }
        Path loop = write("null.pcap", Frames.classicPcap(false, false, 0, 65535, new long[] {1, 2},
                Frames.nullLink(udp4), Frames.nullLink(udp6)));
        assertEquals(2, read(loop, STRICT).size());
    }

    @Test
    void nonIpFramesFragmentsAndEmptySegmentsAreIgnored() throws Exception {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        byte[] fragment = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1, PSH_ACK, "frag"));
        fragment[14 + 6] = 0x20; // more fragments
        byte[] ack = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1, ACK, ""));
        byte[] shortTcp = Arrays.copyOf(ack, 14 + 20 + 10);
        Path file = write("noise.pcap", Frames.classicPcap(false, false, 1, 65535, new long[] {1, 2, 3, 4}, arp,
                fragment, ack, shortTcp));
        assertEquals(0, read(file, STRICT).size());
    }

    @Test
    void pcapngWithSeveralInterfacesResolutionsAndSimplePackets() throws Exception {
        byte[] eth = Frames.ethernet(ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1, PSH_ACK, "a"));
        byte[] raw = ipv4Tcp("10.0.0.1", 40000, "10.0.0.2", 80, 2, PSH_ACK, "b");
        for (boolean bigEndian : new boolean[] {false, true}) {
            byte[] bytes = new Frames.PcapNg(bigEndian)
                    .section()
                    .interfaceDescription(1, 0, -1) // microseconds
                    .interfaceDescription(101, 0, 9) // nanoseconds
                    .interfaceDescription(1, 0, 0x80 | 10) // 2^-10 seconds
                    .unknownBlock()
                    .enhancedPacket(0, 1_500_000L, eth)
                    .enhancedPacket(1, 2_000_000_007L, raw)
                    .enhancedPacket(2, 3 * 1024 + 512, eth)
                    .simplePacket(eth)
                    .section() // a new section forgets the interfaces of the old one
                    .interfaceDescription(101, 0, 3)
                    .enhancedPacket(0, 4_000, raw)
                    .bytes();
            List<CaptureRecord> records = read(write("ng.pcapng", bytes), STRICT);
            assertEquals(5, records.size());
            assertEquals(1_500_000_000L, records.get(0).tsNs());
            assertEquals(2_000_000_007L, records.get(1).tsNs());
            assertEquals("b", text(records.get(1)));
            assertEquals(3_500_000_000L, records.get(2).tsNs());
            assertEquals(3_500_000_000L, records.get(3).tsNs(), "a simple packet has the previous frame's time");
            assertEquals(4_000_000_000L, records.get(4).tsNs());
        }
    }

    @Test
    void gzipCompressedCapturesAreRead() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(resource("http-lo-ethernet.pcap")));
        }
        assertEquals(9, read(write("c.pcap.gz", gz.toByteArray()), STRICT).size());
    }

    @Test
    void aFileCutShortFailsStrictlyAndKeepsWhatWasReadWhenLenient() throws Exception {
        byte[] whole = Files.readAllBytes(resource("http-lo-ethernet.pcap"));
        Path file = write("cut.pcap", Arrays.copyOf(whole, whole.length - 30));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(file, STRICT));
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
        List<CaptureRecord> records = new ArrayList<>();
        ReadStats stats = input.read(file, LENIENT, records::add);
        assertEquals(1, stats.skipped());
        assertEquals(records.size(), stats.records());
        assertTrue(records.size() >= 8, "records before the cut are kept: " + records.size());
    }

    @Test
    void aFileEndingRightAfterARecordHeaderIsCutShortNotAStaleFrame() throws Exception {
        byte[] whole = Files.readAllBytes(resource("http-lo-ethernet.pcap"));
        // The first frame: 24-byte file header, 16-byte record header, then its bytes; keep only the headers.
        assertThrows(MalformedInputException.class, () -> read(write("h.pcap", Arrays.copyOf(whole, 40)), STRICT));
        byte[] ng = new Frames.PcapNg(false).section().interfaceDescription(1, 0, -1)
                .enhancedPacket(0, 1, Frames.ethernet(ipv4Tcp("1.1.1.1", 1, "2.2.2.2", 2, 1, PSH_ACK, "x"))).bytes();
        int blockStart = ng.length - (12 + 20 + 56);
        assertThrows(MalformedInputException.class,
                () -> read(write("h.pcapng", Arrays.copyOf(ng, blockStart + 8)), STRICT));
    }

    @Test
    void impossibleLengthsAreReportedNotAllocated() throws Exception {
        byte[] header = Frames.classicPcap(false, false, 1, 65535, new long[0]);
        byte[] bad = Arrays.copyOf(header, header.length + 16);
        bad[header.length + 8] = (byte) 0xff; // captured length 0x7fffffff-ish
        bad[header.length + 9] = (byte) 0xff;
        bad[header.length + 10] = (byte) 0xff;
        bad[header.length + 11] = (byte) 0x7f;
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> read(write("bad.pcap", bad), STRICT));
        assertTrue(e.getMessage().contains("captured bytes"), e.getMessage());

        byte[] ng = new Frames.PcapNg(false).section().bytes();
        byte[] badNg = Arrays.copyOf(ng, ng.length + 12);
        badNg[ng.length] = 6;
        badNg[ng.length + 4] = 13; // not a multiple of 4
        assertThrows(MalformedInputException.class, () -> read(write("bad.pcapng", badNg), STRICT));
        assertEquals(1, input.read(write("bad2.pcapng", badNg), LENIENT, r -> true).skipped());

        byte[] orphan = new Frames.PcapNg(false).section()
                .enhancedPacket(3, 1, Frames.ethernet(ipv4Tcp("1.1.1.1", 1, "2.2.2.2", 2, 1, PSH_ACK, "x"))).bytes();
        MalformedInputException e2 = assertThrows(MalformedInputException.class,
                () -> read(write("orphan.pcapng", orphan), STRICT));
        assertTrue(e2.getMessage().contains("undescribed interface"), e2.getMessage());
    }

    @Test
    void ipv6AddressesAreWrittenInTheirShortestForm() {
        byte[] a = new byte[16];
        assertEquals("::", Addresses.ipv6(a, 0));
        a[15] = 1;
        assertEquals("::1", Addresses.ipv6(a, 0));
        byte[] b = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        assertEquals("2001:db8:0:1::1", Addresses.ipv6(b, 0));
        byte[] c = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        assertEquals("2001:db8::1:0:0:1", Addresses.ipv6(c, 0), "the first of two equal zero runs is shortened");
        byte[] d = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0x56, 0x78};
        assertEquals("fe80::1234:0:0:5678", Addresses.ipv6(d, 0));
    }

    // ---- helpers

    private List<CaptureRecord> read(Path file, ReadOptions options) throws IOException, MalformedInputException {
        List<CaptureRecord> records = new ArrayList<>();
        ReadStats stats = input.read(file, options, records::add);
        assertEquals(records.size(), stats.records());
        return records;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(PcapInputTest.class.getResource("/pcap/" + name).toURI());
    }

    static String text(CaptureRecord r) {
        var p = r.payload();
        byte[] b = new byte[p.remaining()];
        p.get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
