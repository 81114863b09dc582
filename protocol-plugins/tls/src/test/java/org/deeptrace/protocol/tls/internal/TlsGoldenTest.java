package org.deeptrace.protocol.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.deeptrace.testkit.pcap.GoldenPcap;

/** curl against openssl s_server on loopback, recorded with tcpdump (src/test/recording/record.sh). */
class TlsGoldenTest {

    @Test
    void tls13() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new TlsProtocol(), "/tls/tls13.pcap");
        g.assertMatchesGolden("/tls/tls13.pcap");
        // TLS 1.3 encrypts everything after the ServerHello, ALPN's answer included.
        assertEquals(2, g.messages.size());
        assertEquals("tls.test", g.messages.get(0).parsed().requestDomain());
        assertEquals("1.3", g.messages.get(1).parsed().version());
        assertEquals("TLS_AES_256_GCM_SHA384", g.messages.get(1).parsed().endpoint());
        assertEquals("127.0.0.1:8443", g.messages.get(1).src());
    }

    @Test
    void tls12() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new TlsProtocol(), "/tls/tls12.pcap");
        g.assertMatchesGolden("/tls/tls12.pcap");
        assertEquals("http/1.1", g.messages.get(1).parsed().requestResource(), "ALPN is visible in TLS 1.2");
        assertEquals(640, g.messages.subList(1, 5).stream().mapToLong(m -> m.parsed().size()).sum(),
                "the server's first flight: four records in one 640-byte segment");
        assertEquals(0, g.spans.size(), "session messages make no spans");
    }

    @Test
    void alerts() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new TlsProtocol(), "/tls/tls-alerts.pcap");
        g.assertMatchesGolden("/tls/tls-alerts.pcap");
        var alerts = g.messages.stream().filter(m -> "Alert".equals(m.parsed().requestType())).toList();
        assertEquals(2, alerts.size());
        assertEquals("unknown_ca", alerts.get(0).parsed().responseException());
        assertEquals("127.0.0.1:50444", alerts.get(0).src(), "curl rejected the certificate");
        assertEquals(70, alerts.get(1).parsed().responseCode());
        assertEquals("127.0.0.1:8444", alerts.get(1).src(), "the server refused TLS 1.1");
    }
}
