package org.deeptrace.protocol.someip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.pcap.PcapConnections;
import org.junit.jupiter.api.Test;

/**
 * Parse throughput over the golden payloads: the recorded chunks of the synthetic fixture's TCP connection (both
 * directions) fed again and again to fresh connection parsers (one per recorded connection). Prints MB/s and
 * messages/s; asserts that every round yields the golden messages.
 */
class SomeIpThroughputTest {
    @Test
    void throughputOverGoldenPayloads() throws Exception {
        ParserThroughput.Result result = ParserThroughput.of(() -> new SomeIpParser(false))
                .run(PcapConnections.read("/someip/someip-synthetic.pcap", 30501))
                .print("SOME/IP (TCP)");
        assertEquals(16, result.messagesPerRound());
    }
}
