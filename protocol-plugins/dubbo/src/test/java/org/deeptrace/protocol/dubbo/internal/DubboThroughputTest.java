package org.deeptrace.protocol.dubbo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.pcap.PcapConnections;
import org.junit.jupiter.api.Test;

/**
 * Parse throughput over the golden payloads: the recorded chunks of both directions (retransmissions left out) fed
 * again and again to fresh connection parsers (one per recorded connection). Prints MB/s and messages/s; asserts that
 * every round yields the golden messages.
 */
class DubboThroughputTest {
    @Test
    void throughputOverGoldenPayloads() throws Exception {
        ParserThroughput.Result result = ParserThroughput.of(() -> new DubboProtocol().open(null))
                .run(PcapConnections.read("/dubbo/dubbo-hessian2.pcap", 20880))
                .print("Dubbo");
        assertEquals(44, result.messagesPerRound());
    }
}
