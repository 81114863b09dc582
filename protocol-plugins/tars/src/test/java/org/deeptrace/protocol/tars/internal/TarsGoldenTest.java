package org.deeptrace.protocol.tars.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * TarsJava 1.7.3's client (Communicator with a direct endpoint, 4 connections) calling a server whose wire side
 * is TarsJava's TarsCodec, on loopback, recorded with tcpdump by {@code src/test/golden/record.sh}: two calls
 * (one with a context {@code x-request-id}), a call the server fails with -99, and 8 concurrent calls.
 */
class TarsGoldenTest {
    private static final String ENDPOINT = "TestApp.HelloServer.HelloObj.hello";

    @Test
    void tarsJavaCallsErrorsAndConcurrentCalls() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new TarsProtocol(), "/tars/tars-java.pcap");
        g.assertMatchesGolden("/tars/tars-java.pcap");

        List<L7Message> requests = g.messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST)
                .toList();
        assertEquals(11, requests.size());
        assertEquals(11, g.messages.size() - requests.size());
        assertTrue(requests.stream().allMatch(m -> ENDPOINT.equals(m.parsed().endpoint())));
        assertTrue(requests.stream().anyMatch(m -> "golden-tars-1".equals(m.parsed().xRequestId())));
        assertEquals(Map.of(), g.counters.withPrefix("parse."), "no malformed bytes, no exception");

        assertEquals(11, g.spans.size());
        List<Span> failed = g.spans.stream().filter(s -> s.responseStatus() != ResponseStatus.OK).toList();
        assertEquals(1, failed.size());
        assertEquals(ResponseStatus.SERVER_ERROR, failed.get(0).responseStatus());
        assertEquals(-99, failed.get(0).responseCode());
        L7Message error = g.messages.stream().filter(m -> m.parsed().responseException() != null).findFirst()
                .orElseThrow();
        assertEquals("java.lang.IllegalArgumentException: no such user: mallory", error.parsed().responseException());
    }
}
