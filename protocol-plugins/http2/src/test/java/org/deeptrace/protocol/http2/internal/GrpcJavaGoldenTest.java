package org.deeptrace.protocol.http2.internal;

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
 * grpc-java 1.53.0 (Netty transport, plaintext HTTP/2) server and client on loopback, recorded with tcpdump by
 * src/test/recording/record-grpc.sh from the programs in src/test/grpc-golden: over one connection, unary
 * SayHello twice (the first with traceparent and x-request-id metadata), server-streaming CountTo 3,
 * client-streaming Sum of 4 numbers, bidi-streaming Chat of 3 messages, and Fail answered with grpc-status 5.
 */
class GrpcJavaGoldenTest {
    private static final String PCAP = "/http2/grpc-java.pcap";

    @Test
    void grpcJavaTraffic() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new Http2Protocol(), PCAP);
        g.assertMatchesGolden(PCAP);
        assertEquals(Map.of(), g.counters.withPrefix("parse."), "no malformed input, no parser exception");

        List<L7Message> requests = g.messagesOfType(MessageType.REQUEST);
        List<L7Message> responses = g.messagesOfType(MessageType.RESPONSE);
        assertTrue(g.messages.stream().allMatch(m -> "gRPC".equals(m.parsed().protocol())), "all classified gRPC");
        assertEquals(List.of("/demo.Greeter/SayHello", "/demo.Greeter/SayHello", "/demo.Greeter/CountTo",
                "/demo.Greeter/Sum", "/demo.Greeter/Chat", "/demo.Greeter/Fail"),
                requests.stream().map(m -> m.parsed().endpoint()).toList());
        assertTrue(requests.stream().allMatch(m -> "POST".equals(m.parsed().requestType())));
        // Netty's HTTP/2 client keeps stream 1 for an HTTP/1.1 upgrade: grpc-java's calls start at stream 3
        assertEquals(List.of(3L, 5L, 7L, 9L, 11L, 13L), requests.stream().map(m -> m.parsed().requestId()).toList());
        assertEquals(List.of(3L, 5L, 7L, 9L, 11L, 13L), responses.stream().map(m -> m.parsed().requestId()).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 5), responses.stream().map(m -> m.parsed().responseCode()).toList(),
                "grpc-status from the trailers");
        assertEquals("no user mallory", responses.get(5).parsed().responseException(), "grpc-message");
        assertEquals(ResponseStatus.CLIENT_ERROR, responses.get(5).parsed().responseStatus(), "NOT_FOUND");

        L7Message traced = requests.get(0);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", traced.parsed().traceId());
        assertEquals("00f067aa0ba902b7", traced.parsed().spanId());
        assertEquals("grpc-1", traced.parsed().xRequestId());
        assertEquals("127.0.0.1:17051", traced.parsed().requestDomain(), ":authority");

        // every call is one span, streaming ones included: one request and one response per stream, whatever
        // the number of gRPC messages in it
        assertEquals(6, g.spans.size());
        Span countTo = g.span("/demo.Greeter/CountTo");
        Span sum = g.span("/demo.Greeter/Sum");
        Span chat = g.span("/demo.Greeter/Chat");
        Span bob = g.spans.get(1);
        // the stream halves' sizes cover all their messages: 3 responses, 4 requests, 3 + 3
        assertTrue(countTo.respSize() > bob.respSize(), "CountTo's three messages");
        assertTrue(sum.reqSize() > bob.reqSize() + 3 * 6, "Sum's four messages (5-byte prefix + 1 byte each)");
        assertTrue(chat.respSize() > bob.respSize() + 2 * (5 + 8), "Chat's three echoes");
        // a streaming span ends with the trailers, not with the first response message
        L7Message countToResponse = responses.get(2);
        assertTrue(countTo.endNs() > countToResponse.tsNs(), "CountTo ends at its trailers");
        assertEquals(5, g.span("/demo.Greeter/Fail").responseCode());
    }
}
