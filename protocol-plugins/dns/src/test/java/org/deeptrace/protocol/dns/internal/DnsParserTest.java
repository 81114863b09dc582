package org.deeptrace.protocol.dns.internal;

import static org.deeptrace.protocol.dns.internal.DnsBuilder.concat;
import static org.deeptrace.protocol.dns.internal.DnsBuilder.query;
import static org.deeptrace.protocol.dns.internal.DnsBuilder.response;
import static org.deeptrace.protocol.dns.internal.DnsBuilder.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class DnsParserTest {
    private static final ConnectionInfo UDP =
            new ConnectionInfo(Transport.UDP, "10.0.0.1:40000", "10.0.0.2:53", 1, "t");
    private static final ConnectionInfo TCP =
            new ConnectionInfo(Transport.TCP, "10.0.0.1:40000", "10.0.0.2:53", 1, "t");
    private final DnsProtocol dns = new DnsProtocol();

    // ---- message fields

    @Test
    void udpQueryAndResponse() {
        ParserHarness h = ParserHarness.open(dns, UDP)
                .client(query(0x1234, "www.example.com", 28))
                .server(response(0x1234, 0, "www.example.com", 28))
                .close();
        ParsedMessage q = h.requests().get(0).parsed();
        assertEquals(0x1234L, q.requestId());
        assertEquals("AAAA", q.requestType());
        assertEquals("www.example.com", q.requestDomain());
        assertEquals("www.example.com", q.requestResource());
        assertNull(q.responseStatus());
        ParsedMessage r = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.OK, r.responseStatus());
        assertEquals(0, r.responseCode());
        assertNull(r.responseException());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void responseCodesMapToStatuses() {
        assertEquals(ResponseStatus.CLIENT_ERROR, DnsTypes.status(3));
        assertEquals(ResponseStatus.CLIENT_ERROR, DnsTypes.status(5));
        assertEquals(ResponseStatus.SERVER_ERROR, DnsTypes.status(2));
        assertEquals(ResponseStatus.ERROR, DnsTypes.status(11));
        ParserHarness h = ParserHarness.open(dns, UDP).server(response(7, 2, "a.b", 1)).close();
        assertEquals("SERVFAIL", h.responses().get(0).parsed().responseException());
        assertEquals(ResponseStatus.SERVER_ERROR, h.responses().get(0).parsed().responseStatus());
        assertEquals("TYPE999", DnsTypes.typeName(999));
    }

    @Test
    void unusualBytesInNamesAreEscaped() {
        byte[] q = DnsBuilder.header(1, 0x0100, 1, 0, 0, 0).u8(3).raw((byte) 'a', (byte) '.', (byte) 200).u8(0)
                .u16(1).u16(1).bytes();
        ParserHarness h = ParserHarness.open(dns, UDP).client(q).close();
        assertEquals("a\\046\\200", h.requests().get(0).parsed().requestDomain());
        ParserHarness root = ParserHarness.open(dns, UDP).client(query(2, ".", 2)).close();
        assertEquals(".", root.requests().get(0).parsed().requestDomain());
    }

    // ---- malformed input: counted, never thrown, never stuck

    @Test
    void compressionPointerLoopsAreRejected() {
        // The question's name is a pointer to itself, then two pointers pointing at each other.
        byte[] self = DnsBuilder.header(1, 0x0100, 1, 0, 0, 0).u16(0xC00C).u16(1).u16(1).bytes();
        byte[] pair = DnsBuilder.header(1, 0x0100, 1, 0, 0, 0).u8(1).u8('a').u16(0xC00E).u16(0xC00C).u16(1).u16(1)
                .bytes();
        byte[] forward = DnsBuilder.header(1, 0x0100, 1, 0, 0, 0).u16(0xC020).u16(1).u16(1).raw(new byte[40]).bytes();
        for (byte[] bad : new byte[][] {self, pair, forward}) {
            ParserHarness h = ParserHarness.open(dns, UDP).client(bad).close();
            assertTrue(h.messages().isEmpty());
            assertEquals("bad name", h.malformed().get(0).reason());
            assertFalse(dns.infer(ByteBuffer.wrap(bad), Transport.UDP, 40000, 53).matches());
        }
    }

    @Test
    void aBackwardPointerChainEnds() {
        // Answer name -> question name: legal compression, read through.
        byte[] r = response(9, 0, "x.y.z", 1);
        assertTrue(DnsMessage.parse(r, 0, r.length) instanceof DnsMessage);
        DnsNames.Name n = DnsNames.read(DnsBytes.of(r, 0, r.length), r.length - 16);
        assertEquals("x.y.z", n.text());
    }

    @Test
    void overlongNamesAndTruncatedQuestionsAreRejected() {
        DnsBuilder b = DnsBuilder.header(1, 0x0100, 1, 0, 0, 0);
        for (int i = 0; i < 5; i++) {
            b.u8(63).raw(new byte[63]);
        }
        byte[] longName = b.u8(0).u16(1).u16(1).bytes();
        assertEquals("bad name", ((DnsMessage.Failure) DnsMessage.parse(longName, 0, longName.length)).reason());
        byte[] q = query(1, "a.b", 1);
        byte[] cut = java.util.Arrays.copyOf(q, q.length - 3);
        assertEquals("short question", ((DnsMessage.Failure) DnsMessage.parse(cut, 0, cut.length)).reason());
        assertEquals("short header", ((DnsMessage.Failure) DnsMessage.parse(q, 0, 11)).reason());
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(80)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length > 14) {
                System.arraycopy(query(1, "a.b", 1), 0, junk, 0, 12); // a sane header, garbage after it
            }
            Transport l4 = i % 3 == 0 ? Transport.TCP : Transport.UDP;
            dns.infer(ByteBuffer.wrap(junk), l4, 1000, 53);
            ParserHarness.open(dns, l4 == Transport.TCP ? TCP : UDP).client(junk).server(junk).close();
        }
    }

    // ---- TCP framing

    @Test
    void tcpMessagesSplitAnywhereAndSeveralPerChunk() {
        byte[] stream = concat(tcp(query(1, "a.example", 1)), tcp(query(2, "b.example", 28)),
                tcp(query(3, "c.example", 15)));
        for (int size = 1; size <= stream.length; size++) {
            ParserHarness h = ParserHarness.open(dns, TCP).feedInChunksOf(Origin.CLIENT, stream, size).close();
            assertEquals(3, h.requests().size(), "chunks of " + size);
            assertEquals("MX", h.requests().get(2).parsed().requestType());
            assertEquals(0, h.requests().get(1).start() - tcp(query(1, "a.example", 1)).length);
            assertTrue(h.malformed().isEmpty());
        }
    }

    @Test
    void aLargeResponseBodyIsSkippedNotBuffered() {
        DnsBuilder b = DnsBuilder.header(5, 0x8180, 1, 200, 0, 0).name("big.example").u16(16).u16(1);
        for (int i = 0; i < 200; i++) {
            b.u16(0xC00C).u16(16).u16(1).u16(0).u16(60).u16(200).raw(new byte[200]);
        }
        byte[] big = tcp(b.bytes());
        ParserHarness h = ParserHarness.open(dns, TCP).feedInChunksOf(Origin.SERVER, big, 1400).close();
        assertEquals(1, h.responses().size());
        assertEquals((long) big.length, h.responses().get(0).parsed().size());
    }

    @Test
    void aGapInsideABodyKeepsTheFramingAndAGapBetweenMessagesResyncsAtTheNextChunk() {
        byte[] first = tcp(response(1, 0, "a.example", 1));
        byte[] second = tcp(response(2, 0, "b.example", 1));
        byte[] third = tcp(response(3, 3, "c.example", 1));
        ParserHarness h = ParserHarness.open(dns, TCP)
                .feed(Origin.SERVER, first, 0, first.length - 10).gap(Origin.SERVER, 10) // tail of the answer lost
                .gap(Origin.SERVER, second.length) // a whole message lost
                .feed(Origin.SERVER, third)
                .close();
        assertEquals(2, h.responses().size());
        assertEquals(1L, h.responses().get(0).parsed().requestId());
        assertEquals(3L, h.responses().get(1).parsed().requestId());
        assertEquals(1, h.lost().size());
    }

    @Test
    void afterLosingSyncChunksThatDoNotStartAMessageAreSkipped() {
        byte[] msg = tcp(query(4, "d.example", 1));
        ParserHarness h = ParserHarness.open(dns, TCP)
                .unknownGap(Origin.CLIENT)
                .feed(Origin.CLIENT, msg, 5, msg.length) // the middle of a message
                .feed(Origin.CLIENT, msg)
                .close();
        assertEquals(1, h.requests().size());
        assertEquals(4L, h.requests().get(0).parsed().requestId());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void aTooShortLengthIsMalformed() {
        ParserHarness h = ParserHarness.open(dns, TCP).client(new byte[] {0, 5, 1, 2, 3, 4, 5}).close();
        assertEquals("bad length", h.malformed().get(0).reason());
    }

    // ---- inference

    @Test
    void inferenceNamesTheSenderAndTrustsDnsPortsMore() {
        Inference q = dns.infer(ByteBuffer.wrap(query(1, "a.b", 1)), Transport.UDP, 40000, 53);
        assertEquals(Origin.CLIENT, q.sender());
        assertTrue(q.confidence() >= 0.9);
        Inference r = dns.infer(ByteBuffer.wrap(response(1, 0, "a.b", 1)), Transport.UDP, 53, 40000);
        assertEquals(Origin.SERVER, r.sender());
        Inference elsewhere = dns.infer(ByteBuffer.wrap(query(1, "a.b", 1)), Transport.UDP, 40000, 9999);
        assertTrue(elsewhere.confidence() < q.confidence() && elsewhere.matches());
        assertTrue(dns.infer(ByteBuffer.wrap(tcp(query(1, "a.b", 1))), Transport.TCP, 40000, 53).confidence() >= 0.9);
    }

    @Test
    void lookAlikesAreNotDns() {
        String[] texts = {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "*1\r\n$4\r\nPING\r\n", "HTTP/1.1 200 OK\r\n\r\n",
            "SSH-2.0-OpenSSH_9.2\r\n"};
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            assertFalse(dns.infer(ByteBuffer.wrap(b), Transport.TCP, 40000, 53).matches(), t);
            assertFalse(dns.infer(ByteBuffer.wrap(b), Transport.UDP, 40000, 53).matches(), t);
        }
        byte[] tls = {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01, 0x00, 0x00, (byte) 0xc4, 0x03, 0x03, 1, 2, 3, 4, 5};
        assertFalse(dns.infer(ByteBuffer.wrap(tls), Transport.TCP, 40000, 443).matches());
        byte[] answersInAQuery = DnsBuilder.header(1, 0x0100, 1, 1, 0, 0).name("a.b").u16(1).u16(1).bytes();
        assertFalse(dns.infer(ByteBuffer.wrap(answersInAQuery), Transport.UDP, 40000, 53).matches());
    }

    // ---- payloads stored as lossy text (U+FFFD for every byte that was not valid UTF-8)

    @Test
    void lossyTextKeepsWhatSurvived() {
        byte[] fffd = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
        // id 0x?? 0x68 lost its first byte; flags 0x01 0x20 survived.
        byte[] query = concat(fffd, new byte[] {0x68}, java.util.Arrays.copyOfRange(query(0x6801, "service-c", 28), 2,
                query(0, "service-c", 28).length));
        ParserHarness h = ParserHarness.open(dns, UDP).client(query).close();
        ParsedMessage q = h.requests().get(0).parsed();
        assertNull(q.requestId(), "half an id is no id");
        assertEquals("service-c", q.requestDomain());
        assertEquals("AAAA", q.requestType());

        // A response whose flags (0x81 0x80) were both lost: a response from the server's side, status unknown.
        byte[] r = response(0x7301, 0, "service-b", 1);
        byte[] lossy = concat(java.util.Arrays.copyOfRange(r, 0, 2), fffd, fffd,
                java.util.Arrays.copyOfRange(r, 4, r.length));
        assertTrue(dns.infer(ByteBuffer.wrap(lossy), Transport.UDP, 53, 40000).matches());
        ParserHarness hr = ParserHarness.open(dns, UDP).server(lossy).close();
        ParsedMessage resp = hr.responses().get(0).parsed();
        assertEquals(MessageType.RESPONSE, resp.type());
        assertEquals(0x7301L, resp.requestId());
        assertEquals(ResponseStatus.UNKNOWN, resp.responseStatus());
        assertNull(resp.responseCode());
        assertEquals("service-b", resp.requestDomain());
    }
}
