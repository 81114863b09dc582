package org.deeptrace.protocol.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.junit.jupiter.api.Test;
import org.deeptrace.testkit.pcap.GoldenPcap;

/** redis-cli and redis-benchmark against redis-server on loopback, recorded with tcpdump (src/test/recording). */
class RedisGoldenTest {

    @Test
    void redisCliCommandsErrorsInlineAndResp3() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new RedisProtocol(), "/redis/redis-cli.pcap");
        g.assertMatchesGolden("/redis/redis-cli.pcap");

        List<L7Message> requests = g.messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST)
                .toList();
        List<L7Message> responses = g.messages.stream().filter(m -> m.parsed().type() == MessageType.RESPONSE)
                .toList();
        assertEquals(requests.size(), responses.size(), "every command has its reply");
        assertTrue(requests.stream().anyMatch(m -> "SET".equals(m.parsed().requestType())
                && "user:1".equals(m.parsed().requestResource())));
        assertTrue(requests.stream().anyMatch(m -> "CONFIG GET".equals(m.parsed().endpoint())));
        assertTrue(responses.stream().anyMatch(m -> m.parsed().responseException() != null
                && m.parsed().responseException().startsWith("WRONGTYPE")));
        assertTrue(requests.stream().anyMatch(m -> "HELLO".equals(m.parsed().requestType())), "redis-cli -3");
        assertTrue(requests.stream().anyMatch(m -> "PING".equals(m.parsed().requestType())), "inline or piped");

        assertEquals(requests.size(), g.spans.size());
        Span wrongType = g.spans.stream().filter(s -> "LPUSH".equals(s.requestType())).findFirst().orElseThrow();
        assertEquals(ResponseStatus.ERROR, wrongType.responseStatus());
        assertEquals("user:1", wrongType.requestResource());
    }

    @Test
    void pipelinedBenchmarkKeepsRepliesInOrder() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new RedisProtocol(), "/redis/redis-pipelined.pcap");
        g.assertMatchesGolden("/redis/redis-pipelined.pcap");

        long sets = g.spans.stream().filter(s -> "SET".equals(s.requestType())).count();
        long gets = g.spans.stream().filter(s -> "GET".equals(s.requestType())).count();
        assertEquals(64, sets);
        assertEquals(64, gets);
        for (Span s : g.spans) {
            assertEquals(ResponseStatus.OK, s.responseStatus(), s::toString);
        }
        assertEquals(0, g.messages.stream().filter(m -> m.parsed().type() == MessageType.SESSION).count());
    }

    @Test
    void largeValueAcrossSegmentsAndResp3PubSubPushes() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new RedisProtocol(), "/redis/redis-resp3-pubsub.pcap");
        g.assertMatchesGolden("/redis/redis-resp3-pubsub.pcap");

        L7Message big = g.messages.stream().filter(m -> "SET".equals(m.parsed().requestType())).findFirst()
                .orElseThrow();
        assertEquals("big", big.parsed().requestResource());
        assertTrue(big.parsed().size() > 200_000, "the 200 kB bulk body is skipped, not lost");
        List<L7Message> pushes = g.messages.stream().filter(m -> m.parsed().type() == MessageType.SESSION)
                .toList();
        assertEquals(List.of("subscribe", "message", "message"),
                pushes.stream().map(m -> m.parsed().requestType()).toList());
        L7Message subscribe = g.messages.stream().filter(m -> "SUBSCRIBE".equals(m.parsed().requestType()))
                .findFirst().orElseThrow();
        assertEquals(false, subscribe.parsed().expectsResponse(), "after HELLO 3, pushes confirm SUBSCRIBE");
        for (Span s : g.spans) {
            // SUBSCRIBE is one-way: its span ends at once, with no response, instead of taking a push as reply
            ResponseStatus expected = "SUBSCRIBE".equals(s.requestType()) ? ResponseStatus.UNKNOWN : ResponseStatus.OK;
            assertEquals(expected, s.responseStatus(), s::toString);
        }
        assertEquals(6, g.spans.size());
    }
}
