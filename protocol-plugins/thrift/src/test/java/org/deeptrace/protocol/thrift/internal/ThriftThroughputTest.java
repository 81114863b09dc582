package org.deeptrace.protocol.thrift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.pcap.PcapConnections;
import org.junit.jupiter.api.Test;

/**
 * Parse throughput over the golden payloads: the recorded chunks of all five pcaps (both directions) fed again and
 * again to fresh connection parsers (one per recorded connection). Prints MB/s and messages/s; asserts that every
 * round yields the golden messages.
 */
class ThriftThroughputTest {
    private static final String[] PCAPS = {"thrift-binary-framed", "thrift-binary-buffered",
        "thrift-binary-buffered-nonstrict", "thrift-compact-framed", "thrift-compact-buffered"};

    @Test
    void throughputOverGoldenPayloads() throws Exception {
        List<ParserThroughput.Connection> connections = new ArrayList<>();
        for (String pcap : PCAPS) { // one server port per pcap: 19090..19094
            connections.addAll(PcapConnections.read("/thrift/" + pcap + ".pcap", 19090, 19091, 19092, 19093,
                    19094));
        }
        ParserThroughput.Result result = ParserThroughput.of(ThriftParser::new).run(connections).print("Thrift");
        assertEquals(5L * 17, result.messagesPerRound());
    }
}
