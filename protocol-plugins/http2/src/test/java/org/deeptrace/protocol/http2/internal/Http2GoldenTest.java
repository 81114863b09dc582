package org.deeptrace.protocol.http2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.junit.jupiter.api.Test;
import org.deeptrace.testkit.pcap.GoldenPcap;

/** h2c traffic between curl and nginx recorded on loopback (src/test/recording/record.sh), through the pipeline. */
class Http2GoldenTest {

    @Test
    void curlAgainstNginx() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new Http2Protocol(), "/http2/h2c-curl.pcap");
        List<L7Message> requests = g.messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST).toList();
        List<L7Message> responses = g.messages.stream().filter(m -> m.parsed().type() == MessageType.RESPONSE)
                .toList();
        assertEquals(List.of("/hello", "/created", "/missing", "/broken"),
                requests.stream().map(m -> m.parsed().endpoint()).toList());
        assertEquals(List.of(200, 201, 404, 503), responses.stream().map(m -> m.parsed().responseCode()).toList());
        assertEquals("0af7651916cd43dd8448eb211c80319c", requests.get(0).parsed().traceId());
        assertEquals("rec-1", requests.get(0).parsed().xRequestId());
        assertEquals("POST", requests.get(3).parsed().requestType());
        assertEquals("127.0.0.1:18082", requests.get(0).parsed().requestDomain());
        assertEquals(4, g.spans.size());
        assertEquals(java.util.Map.of(), g.counters.withPrefix("parse.malformed"));
        g.assertMatchesGolden("/http2/h2c-curl.pcap");
    }
}
