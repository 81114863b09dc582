package org.deeptrace.protocol.tls.internal;

import static org.deeptrace.protocol.tls.internal.TlsBuilder.clientHello;
import static org.deeptrace.protocol.tls.internal.TlsBuilder.concat;
import static org.deeptrace.protocol.tls.internal.TlsBuilder.handshake;
import static org.deeptrace.protocol.tls.internal.TlsBuilder.record;
import static org.deeptrace.protocol.tls.internal.TlsBuilder.serverHello;
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
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class TlsParserTest {
    private static final byte[] HRR_RANDOM = hex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");
    private final TlsProtocol tls = new TlsProtocol();

    private static byte[] hello13() {
        return record(22, 0x0301, handshake(1, clientHello("api.example.com", new String[] {"h2", "http/1.1"},
                0x3A3A, 0x0304, 0x0303)));
    }

    @Test
    void clientHelloGivesSniAlpnAndTheHighestOfferedVersionIgnoringGrease() {
        ParserHarness h = ParserHarness.open(tls).client(hello13()).close();
        ParsedMessage m = h.messages().get(0).parsed();
        assertEquals(MessageType.SESSION, m.type());
        assertEquals("ClientHello", m.requestType());
        assertEquals("api.example.com", m.requestDomain());
        assertEquals("h2,http/1.1", m.requestResource());
        assertEquals("1.3", m.version());
        assertEquals(hello13().length, m.size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void serverHelloGivesTheNegotiatedVersionAndCipherSuiteAndLaterRecordsAreSkipped() {
        byte[] sh = record(22, 0x0303, handshake(2, serverHello(0x1302, 0x0304, new byte[32])));
        byte[] ccs = record(20, 0x0303, new byte[] {1});
        byte[] appData = record(23, 0x0303, new byte[300]);
        ParserHarness h = ParserHarness.open(tls).client(hello13()).server(concat(sh, ccs, appData, appData))
                .client(concat(ccs, appData)).close();
        assertEquals(2, h.messages().size());
        ParsedMessage s = h.messages(Origin.SERVER).get(0).parsed();
        assertEquals("ServerHello", s.requestType());
        assertEquals("1.3", s.version());
        assertEquals("TLS_AES_256_GCM_SHA384", s.endpoint());
        assertEquals(sh.length, h.messages(Origin.SERVER).get(0).end());
    }

    @Test
    void helloRetryRequestIsNamed() {
        byte[] hrr = record(22, 0x0303, handshake(2, serverHello(0x1301, 0x0304, HRR_RANDOM)));
        ParserHarness h = ParserHarness.open(tls).server(hrr).close();
        assertEquals("HelloRetryRequest", h.messages().get(0).parsed().requestType());
    }

    @Test
    void recordsSplitAnywhere() {
        byte[] sh = record(22, 0x0303, handshake(2, serverHello(0xC02F, 0x0303, new byte[32])));
        byte[] stream = concat(sh, record(23, 0x0303, new byte[50]), record(21, 0x0303, new byte[] {2, 40}));
        for (int size = 1; size <= stream.length; size++) {
            ParserHarness h = ParserHarness.open(tls).feedInChunksOf(Origin.SERVER, stream, size).close();
            assertEquals(2, h.messages().size(), "chunks of " + size);
            ParsedMessage alert = h.messages().get(1).parsed();
            assertEquals("Alert", alert.requestType());
            assertEquals(40, alert.responseCode());
            assertEquals("handshake_failure", alert.responseException());
            assertEquals(ResponseStatus.ERROR, alert.responseStatus());
            assertEquals("1.2", alert.version());
        }
    }

    @Test
    void aHandshakeMessageSpanningRecordsIsNamedOnceAndItsTailSkipped() {
        byte[] certificate = handshake(11, new byte[3000]);
        byte[] first = java.util.Arrays.copyOfRange(certificate, 0, 1000);
        byte[] rest = java.util.Arrays.copyOfRange(certificate, 1000, certificate.length);
        byte[] done = handshake(14, new byte[0]);
        ParserHarness h = ParserHarness.open(tls)
                .server(concat(record(22, 0x0303, first), record(22, 0x0303, concat(rest, done))))
                .close();
        assertEquals(2, h.messages().size());
        assertEquals("Certificate", h.messages().get(0).parsed().requestType());
        assertEquals("ServerHelloDone", h.messages().get(1).parsed().requestType());
    }

    @Test
    void afterChangeCipherSpecHandshakeAndAlertsAreEncrypted() {
        byte[] ccs = record(20, 0x0303, new byte[] {1});
        byte[] finished = record(22, 0x0303, new byte[40]); // encrypted Finished: garbage as a handshake
        byte[] alert = record(21, 0x0303, new byte[26]);
        ParserHarness h = ParserHarness.open(tls).client(concat(ccs, finished, alert)).close();
        assertEquals(1, h.messages().size());
        ParsedMessage m = h.messages().get(0).parsed();
        assertEquals("Alert", m.requestType());
        assertNull(m.responseCode());
        assertNull(m.responseStatus());
    }

    @Test
    void gapsInsideRecordsKeepFramingAndGapsBetweenRecordsResync() {
        byte[] app = record(23, 0x0303, new byte[500]);
        byte[] alert = record(21, 0x0303, new byte[] {1, 0});
        ParserHarness h = ParserHarness.open(tls)
                .feed(Origin.SERVER, app, 0, 100).gap(Origin.SERVER, app.length - 100) // inside a record
                .gap(Origin.SERVER, app.length) // a whole record
                .feed(Origin.SERVER, java.util.Arrays.copyOfRange(app, 7, 60)) // mid-record bytes: ignored
                .feed(Origin.SERVER, alert)
                .close();
        assertEquals(1, h.lost().size());
        assertEquals(1, h.messages().size());
        assertEquals(ResponseStatus.OK, h.messages().get(0).parsed().responseStatus(), "close_notify");
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void aBadHeaderIsMalformedAndLosesSync() {
        ParserHarness h = ParserHarness.open(tls).client(hello13())
                .client("GET / HTTP/1.1\r\n\r\n").client(hello13()).close();
        assertEquals("bad record header", h.malformed().get(0).reason());
        assertEquals(2, h.messages().size(), "resynchronised at the next chunk that starts a record");
    }

    @Test
    void inference() {
        Inference ch = tls.infer(ByteBuffer.wrap(hello13()), Transport.TCP, 40000, 443);
        assertEquals(Origin.CLIENT, ch.sender());
        assertTrue(ch.confidence() >= 0.9);
        byte[] sh = record(22, 0x0303, handshake(2, serverHello(0xC02F, 0x0303, new byte[32])));
        assertEquals(Origin.SERVER, tls.infer(ByteBuffer.wrap(sh), Transport.TCP, 443, 40000).sender());
        byte[] app = concat(record(23, 0x0303, new byte[40]), record(23, 0x0303, new byte[40]));
        Inference mid = tls.infer(ByteBuffer.wrap(app), Transport.TCP, 8443, 51000);
        assertEquals(Origin.SERVER, mid.sender());
        assertTrue(mid.confidence() >= 0.5 && mid.confidence() < 0.9);
        assertEquals(Origin.CLIENT, tls.infer(ByteBuffer.wrap(app), Transport.TCP, 51000, 8443).sender());
        byte[] badNext = concat(record(23, 0x0303, new byte[40]), "GET / HTTP/1.1\r\n".getBytes());
        assertFalse(tls.infer(ByteBuffer.wrap(badNext), Transport.TCP, 51000, 8443).matches());
        for (String t : new String[] {"GET / HTTP/1.1\r\n\r\n", "*1\r\n$4\r\nPING\r\n", "\u0016\u0003\u0009xx"}) {
            assertFalse(tls.infer(ByteBuffer.wrap(t.getBytes(StandardCharsets.ISO_8859_1)), Transport.TCP, 1, 2)
                    .matches(), t);
        }
        assertFalse(tls.infer(ByteBuffer.wrap(hello13()), Transport.UDP, 40000, 443).matches());
    }

    @Test
    void truncatedAndLyingHellosNeverThrow() {
        byte[] hello = hello13();
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] b = hello.clone();
            for (int k = 0; k < 4; k++) {
                b[5 + random.nextInt(b.length - 5)] = (byte) random.nextInt(256);
            }
            ParserHarness.open(tls).client(java.util.Arrays.copyOf(b, random.nextInt(b.length + 1))).close();
            ParserHarness.open(tls).client(b).close();
            tls.infer(ByteBuffer.wrap(b), Transport.TCP, 1, 2);
        }
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            ParserHarness.open(tls).client(junk).server(junk).close();
            tls.infer(ByteBuffer.wrap(junk), Transport.TCP, 1, 2);
        }
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
