package org.deeptrace.protocol.someip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.testkit.pcap.GoldenPcap;
import org.junit.jupiter.api.Test;

/**
 * SYNTHETIC fixture (see src/test/golden/README.md): SOME/IP encoded by a spec-following sender, not by a real
 * SOME/IP implementation, over real loopback TCP and UDP sockets recorded with tcpdump.
 */
class SomeIpGoldenTest {

    @Test
    void tcpUdpAndServiceDiscovery() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new SomeIpProtocol(), "/someip/someip-synthetic.pcap");
        g.assertMatchesGolden("/someip/someip-synthetic.pcap");
        assertEquals(Map.of(), g.counters.withPrefix("parse."), "no malformed bytes, no exception");

        List<L7Message> sd = g.messages.stream().filter(m -> "0xFFFF.0x8100".equals(m.parsed().endpoint())).toList();
        assertEquals(List.of("FindService", "OfferService", "SubscribeEventgroup", "SubscribeEventgroupAck",
                "StopOfferService"), sd.stream().map(m -> m.parsed().requestType()).toList());
        assertTrue(sd.stream().allMatch(m -> m.parsed().type() == MessageType.SESSION
                && "0x1234".equals(m.parsed().requestDomain())));

        List<L7Message> tcp = g.messages.stream().filter(m -> m.l4().name().equals("TCP")).toList();
        assertFalse(tcp.stream().anyMatch(m -> "0xFFFF.0x0000".equals(m.parsed().endpoint())), "magic cookie");
        L7Message tp = tcp.stream().filter(m -> "0x1234.0x0004".equals(m.parsed().endpoint())).findFirst()
                .orElseThrow();
        assertEquals(16 + 3000, tp.parsed().size(), "three TP segments, one message: the original message's size");
        L7Message event = tcp.stream().filter(m -> "0x1234.0x8001".equals(m.parsed().endpoint())).findFirst()
                .orElseThrow();
        assertEquals(MessageType.SESSION, event.parsed().type());

        Span unknownMethod = g.span("0x1234.0x0002");
        assertEquals(ResponseStatus.CLIENT_ERROR, unknownMethod.responseStatus());
        assertEquals(3, unknownMethod.responseCode());
        assertEquals(ResponseStatus.SERVER_ERROR, g.span("0x4321.0x0003").responseStatus(), "E_NOT_READY over UDP");
        assertEquals(ResponseStatus.OK, g.span("0x4321.0x0002").responseStatus(), "second message of a datagram");
        List<Span> pipelined = g.spans.stream().filter(s -> "0x1234.0x0001".equals(s.endpoint())).toList();
        assertEquals(5, pipelined.size());
        assertTrue(pipelined.stream().allMatch(s -> s.responseStatus() == ResponseStatus.OK));
        Span fireAndForget = g.span("0x1234.0x0003");
        assertEquals(ResponseStatus.UNKNOWN, fireAndForget.responseStatus());

        // SOME/IP-TP over UDP: a request in three segments (one sent twice), its response in two (last first)
        Span udpTp = g.span("0x4321.0x0004");
        assertEquals(ResponseStatus.OK, udpTp.responseStatus());
        assertEquals(16 + 4000, udpTp.reqSize());
        assertEquals(16 + 2000, udpTp.respSize());
        assertEquals(1, g.messages.stream().filter(m -> "0x4321.0x0004".equals(m.parsed().endpoint())).count(),
                "the repeated segment makes no second request");
        Span tcpTp = g.span("0x1234.0x0004");
        assertEquals(16 + 3000, tcpTp.reqSize());
        assertEquals(ResponseStatus.OK, tcpTp.responseStatus());
    }
}
