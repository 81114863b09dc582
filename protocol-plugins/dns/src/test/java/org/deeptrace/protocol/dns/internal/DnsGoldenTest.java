package org.deeptrace.protocol.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.junit.jupiter.api.Test;
import org.deeptrace.testkit.pcap.GoldenPcap;

/** dig against dnsmasq on loopback, recorded with tcpdump (src/test/recording/record.sh). */
class DnsGoldenTest {

    @Test
    void udpQueriesOfManyTypes() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new DnsProtocol(), "/dns/dns-udp.pcap");
        g.assertMatchesGolden("/dns/dns-udp.pcap");

        assertEquals(14, g.messages.size());
        L7Message query = g.messages.get(0);
        assertEquals("127.0.0.1:53694", query.src());
        assertEquals("127.0.0.1:53", query.dst());
        assertEquals(6707L, query.parsed().requestId());
        assertEquals("svc.test", query.parsed().requestDomain());
        assertEquals("A", query.parsed().requestType());
        L7Message nx = g.messages.get(9);
        assertEquals("127.0.0.1:53", nx.src());
        assertEquals(ResponseStatus.CLIENT_ERROR, nx.parsed().responseStatus());
        assertEquals(3, nx.parsed().responseCode());
        assertEquals("NXDOMAIN", nx.parsed().responseException());
        assertEquals("[::1]:53", g.messages.get(13).src());

        assertEquals(7, g.spans.size());
        for (Span s : g.spans) {
            assertTrue(s.responseStatus() != ResponseStatus.UNKNOWN, s::toString);
        }
    }

    @Test
    void tcpQueriesOnOneConnectionAndOverIpv6() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new DnsProtocol(), "/dns/dns-tcp.pcap");
        g.assertMatchesGolden("/dns/dns-tcp.pcap");

        assertEquals(8, g.messages.size());
        assertEquals("AAAA", g.messages.get(2).parsed().requestType());
        assertEquals(2L + 49, g.messages.get(0).parsed().size(), "the 2-byte length counts");
        assertEquals(4, g.spans.size());
        assertEquals("MX", g.spans.stream().filter(s -> s.local().startsWith("[::1]")).findFirst().orElseThrow()
                .requestType());
    }
}
