package org.deeptrace.protocol.dubbo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.testkit.pcap.GoldenPcap;
import org.junit.jupiter.api.Test;

/**
 * Apache Dubbo 3.3.6 provider and consumer (dubbo:// protocol, Hessian2, direct URL, client heartbeat 1 s) on
 * loopback, recorded with tcpdump by src/test/recording/record.sh from the programs in src/test/golden.
 */
class DubboGoldenTest {
    private static final String SERVICE = "org.deeptrace.golden.dubbo.GreetingService";

    @Test
    void realDubboTraffic() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new DubboProtocol(), "/dubbo/dubbo-hessian2.pcap");
        g.assertMatchesGolden("/dubbo/dubbo-hessian2.pcap");
        assertEquals(Map.of(), g.counters.withPrefix("parse."), "no malformed input, no parser exception");

        List<L7Message> requests = g.messagesOfType(MessageType.REQUEST);
        List<L7Message> responses = g.messagesOfType(MessageType.RESPONSE);
        assertEquals(16, requests.size());
        assertEquals(16, responses.size());
        assertTrue(requests.stream().allMatch(m -> "2.0.2".equals(m.parsed().version())));
        assertTrue(g.messagesOfType(MessageType.SESSION).size() >= 4, "client heartbeats and their answers");
        assertTrue(g.messagesOfType(MessageType.SESSION).stream()
                .allMatch(m -> "heartbeat".equals(m.parsed().requestType())));

        // every request has its span, paired by request id (the eight slow calls are answered out of order)
        assertEquals(16, g.spans.size());
        Map<Object, L7Message> requestById = requests.stream()
                .collect(Collectors.toMap(m -> m.parsed().requestId(), Function.identity()));
        List<Object> answerOrder = responses.stream().map(m -> m.parsed().requestId()).toList();
        List<Object> askOrder = requests.stream().map(m -> m.parsed().requestId()).toList();
        assertTrue(!askOrder.equals(answerOrder), "responses came back in another order than the requests");
        for (L7Message r : responses) {
            assertTrue(requestById.containsKey(r.parsed().requestId()), r::toString);
        }

        Span fail = g.span(SERVICE + ".fail");
        assertEquals(ResponseStatus.SERVER_ERROR, fail.responseStatus());
        assertEquals(20, fail.responseCode());
        L7Message failResponse = responses.stream()
                .filter(m -> m.parsed().requestId().equals(requestId(requests, SERVICE + ".fail"))).findFirst()
                .orElseThrow();
        assertEquals("org.deeptrace.golden.dubbo.GreetingException", failResponse.parsed().responseException());

        assertEquals(50, g.span(SERVICE + ".failUnserializable").responseCode(), "BAD_RESPONSE");
        assertEquals(70, g.span(SERVICE + ".$invoke").responseCode(), "generic call of a missing method");
        Span missing = g.span("org.deeptrace.golden.dubbo.MissingService.$invoke");
        assertEquals(40, missing.responseCode(), "a missing service fails to decode: BAD_REQUEST");
        assertEquals(ResponseStatus.CLIENT_ERROR, missing.responseStatus());

        List<Span> slow = g.spans.stream().filter(s -> (SERVICE + ".slow").equals(s.endpoint())).toList();
        assertEquals(8, slow.size());
        assertTrue(slow.stream().allMatch(s -> s.responseStatus() == ResponseStatus.OK));
        assertTrue(requests.stream().anyMatch(m -> m.parsed().size() == 281), "a non-ASCII argument");
    }

    private static Object requestId(List<L7Message> requests, String endpoint) {
        return requests.stream().filter(m -> endpoint.equals(m.parsed().endpoint())).findFirst().orElseThrow()
                .parsed().requestId();
    }
}
