package org.deeptrace.protocol.fastcgi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.testkit.pcap.GoldenPcap;
import org.junit.jupiter.api.Test;

/**
 * curl -> nginx -> php-fpm on loopback (fastcgi_pass to a TCP port, upstream keepalive), the FastCGI side recorded
 * with tcpdump by src/test/recording/record.sh.
 */
class FcgiGoldenTest {

    @Test
    void nginxToPhpFpm() throws Exception {
        String resource = "/fastcgi/fastcgi-nginx-php-fpm.pcap";
        GoldenPcap g = GoldenPcap.replay(new FcgiProtocol(), resource);
        g.assertMatchesGolden(resource);

        List<L7Message> requests = g.messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST)
                .toList();
        assertEquals(List.of("GET", "GET", "POST", "PUT", "GET", "GET", "GET"),
                requests.stream().map(m -> m.parsed().requestType()).toList());
        L7Message first = requests.get(0);
        assertEquals("/index.php?user=alice&page=2", first.parsed().requestResource());
        assertEquals("/index.php", first.parsed().endpoint());
        assertEquals("shop.example", first.parsed().requestDomain());
        L7Message traced = requests.get(1);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", traced.parsed().traceId());
        assertEquals("00f067aa0ba902b7", traced.parsed().spanId());
        assertEquals("req-42", traced.parsed().xRequestId());
        assertTrue(requests.get(3).parsed().size() > 100_000, "the 100 kB body travels in STDIN records");

        assertEquals(7, g.spans.size());
        assertEquals(List.of(200, 200, 201, 201, 404, 500, 200),
                g.spans.stream().map(Span::responseCode).toList());
        assertEquals(ResponseStatus.CLIENT_ERROR, g.spans.get(4).responseStatus());
        assertEquals(ResponseStatus.SERVER_ERROR, g.spans.get(5).responseStatus());
        List<L7Message> responses = g.messages.stream().filter(m -> m.parsed().type() == MessageType.RESPONSE)
                .toList();
        assertEquals("Primary script unknown", responses.get(4).parsed().responseException());
        assertTrue(responses.get(5).parsed().responseException().contains("the backend is down"),
                responses.get(5).parsed()::responseException);
        assertTrue(responses.get(6).parsed().size() > 131_072, "the 128 kB page travels in STDOUT records");
        assertTrue(g.counters.snapshot().keySet().stream().noneMatch(k -> k.startsWith("parse.malformed")),
                () -> g.counters.snapshot().toString());
    }
}
