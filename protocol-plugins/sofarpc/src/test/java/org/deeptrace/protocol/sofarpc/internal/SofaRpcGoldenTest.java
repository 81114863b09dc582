package org.deeptrace.protocol.sofarpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * SOFARPC 5.13.2 provider and consumer (Bolt v1, Hessian2, direct URL, Bolt heartbeat every idle second) on
 * loopback, recorded with tcpdump by src/test/recording/record.sh from the programs in src/test/golden.
 */
class SofaRpcGoldenTest {
    private static final String SERVICE = "org.deeptrace.golden.sofarpc.HelloService";

    @Test
    void realSofaRpcTraffic() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new SofaRpcProtocol(), "/sofarpc/sofarpc-bolt.pcap");
        g.assertMatchesGolden("/sofarpc/sofarpc-bolt.pcap");
        assertEquals(Map.of(), g.counters.withPrefix("parse."), "no malformed input, no parser exception");

        List<L7Message> requests = g.messagesOfType(MessageType.REQUEST);
        List<L7Message> responses = g.messagesOfType(MessageType.RESPONSE);
        assertEquals(14, requests.size());
        assertEquals(14, responses.size());
        assertEquals(14, g.spans.size());
        List<L7Message> heartbeats = g.messagesOfType(MessageType.SESSION);
        assertTrue(heartbeats.size() >= 4, "Bolt heartbeats and their acknowledgements");
        assertTrue(heartbeats.stream().allMatch(m -> "heartbeat".equals(m.parsed().requestType())));
        // SOFATracer's trace id travels in the header map of every request
        assertTrue(requests.stream().allMatch(m -> m.parsed().traceId() != null
                && m.parsed().traceId().matches("[0-9a-f]{30}")), "sofaTraceId");
        assertEquals(SERVICE + ":1.0", requests.get(0).parsed().requestDomain());

        L7Message fail = response(responses, requestId(requests, SERVICE + ".fail"));
        assertEquals(ResponseStatus.SERVER_ERROR, fail.parsed().responseStatus());
        assertEquals("org.deeptrace.golden.sofarpc.HelloException", fail.parsed().responseException());
        L7Message missing = response(responses,
                requestId(requests, "org.deeptrace.golden.sofarpc.MissingService.anything"));
        assertEquals(ResponseStatus.SERVER_ERROR, missing.parsed().responseStatus());
        assertTrue(missing.parsed().responseException().contains("RPC cannot find service"));

        // eight concurrent calls on the one connection, answered in another order, paired by request id
        List<Object> asked = requests.stream().filter(m -> (SERVICE + ".slow").equals(m.parsed().endpoint()))
                .map(m -> m.parsed().requestId()).toList();
        List<Object> answered = responses.stream().filter(m -> asked.contains(m.parsed().requestId()))
                .map(m -> m.parsed().requestId()).toList();
        assertEquals(8, asked.size());
        assertNotEquals(asked, answered);
        for (Span s : g.spans) {
            boolean failed = s.endpoint().endsWith(".fail") || s.endpoint().endsWith(".anything");
            assertEquals(failed ? ResponseStatus.SERVER_ERROR : ResponseStatus.OK, s.responseStatus(), s::toString);
            assertTrue(s.endNs() > s.startNs());
        }
    }

    private static Object requestId(List<L7Message> requests, String endpoint) {
        return requests.stream().filter(m -> endpoint.equals(m.parsed().endpoint())).findFirst().orElseThrow()
                .parsed().requestId();
    }

    private static L7Message response(List<L7Message> responses, Object id) {
        return responses.stream().filter(m -> id.equals(m.parsed().requestId())).findFirst().orElseThrow();
    }
}
