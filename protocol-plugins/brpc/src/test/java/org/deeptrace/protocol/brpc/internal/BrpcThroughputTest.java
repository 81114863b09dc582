package org.deeptrace.protocol.brpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.pcap.PcapConnections;
import org.junit.jupiter.api.Test;

/**
 * Parse throughput over the golden payloads: the recorded chunks of both directions fed again and again to fresh
 * connection parsers (one per recorded connection). Prints MB/s and messages/s; asserts that every round yields the
 * golden messages.
 */
class BrpcThroughputTest {
    @Test
    void throughputOverGoldenPayloads() throws Exception {
        ParserThroughput.Result result = ParserThroughput.of(BrpcParser::new)
                .run(PcapConnections.read("/brpc/brpc-baidu-std.pcap", 18002))
                .print("bRPC");
        assertEquals(26, result.messagesPerRound());
    }
}
