package org.deeptrace.protocol.tars.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.pcap.PcapConnections;
import org.junit.jupiter.api.Test;

/**
 * Parse throughput over the golden payloads: the recorded chunks of both directions fed again and again to fresh
 * connection parsers (one per recorded connection). Prints MB/s and messages/s; asserts that every round yields the
 * golden messages.
 */
class TarsThroughputTest {
    @Test
    void throughputOverGoldenPayloads() throws Exception {
        ParserThroughput.Result result = ParserThroughput.of(TarsParser::new)
                .run(PcapConnections.read("/tars/tars-java.pcap", 18601))
                .print("Tars");
        assertEquals(22, result.messagesPerRound());
    }
}
