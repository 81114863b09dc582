package org.deeptrace.protocol.brpc.internal;

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
 * brpc-java 3.0.5 server and client (baidu_std) on loopback, recorded with tcpdump by
 * {@code src/test/golden/record.sh}: a plain call, a call with log id, kv and binary attachment, a call whose
 * handler throws (brpc-java retries it: three attempts), and 8 concurrent calls on one connection.
 */
class BrpcGoldenTest {

    @Test
    void brpcJavaCallsErrorsAndConcurrentCalls() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new BrpcProtocol(), "/brpc/brpc-baidu-std.pcap");
        g.assertMatchesGolden("/brpc/brpc-baidu-std.pcap");

        List<L7Message> requests = g.messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST)
                .toList();
        List<L7Message> responses = g.messages.stream().filter(m -> m.parsed().type() == MessageType.RESPONSE)
                .toList();
        assertEquals(requests.size(), responses.size());
        assertEquals(2 + 3 + 8, requests.size(), "2 echo calls, 3 attempts of the failing call, 8 concurrent");
        assertTrue(requests.stream().allMatch(m -> "example.EchoService".equals(m.parsed().requestDomain())));
        assertEquals(10, requests.stream().filter(m -> "example.EchoService.Echo".equals(m.parsed().endpoint()))
                .count());
        L7Message withLogId = requests.get(1);
        assertEquals("golden-1", withLogId.parsed().xRequestId(), "brpc-java ext field x-request-id");
        assertTrue(withLogId.parsed().size() > requests.get(0).parsed().size() + 14, "attachment counted in size");

        assertEquals(Map.of(), g.counters.withPrefix("parse."), "no malformed bytes, no exception");
        assertEquals(13, g.spans.size());
        List<Span> failed = g.spans.stream().filter(s -> s.responseStatus() == ResponseStatus.SERVER_ERROR).toList();
        assertEquals(3, failed.size());
        for (Span s : failed) {
            assertEquals("example.EchoService.Fail", s.endpoint());
            assertEquals(2001, s.responseCode(), "EINTERNAL");
        }
        for (Span s : g.spans) {
            if (s.responseStatus() != ResponseStatus.SERVER_ERROR) {
                assertEquals(ResponseStatus.OK, s.responseStatus(), s::toString);
                assertEquals("example.EchoService.Echo", s.endpoint());
            }
        }
        L7Message error = responses.stream().filter(m -> m.parsed().responseCode() == 2001).findFirst().orElseThrow();
        assertEquals("no such user: bob", error.parsed().responseException());
    }
}
