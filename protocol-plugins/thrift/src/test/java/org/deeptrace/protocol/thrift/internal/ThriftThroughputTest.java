package org.deeptrace.protocol.thrift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.pcap.PcapConnections;
import org.junit.jupiter.api.Test;

/**
 * Parse throughput over the golden payloads: the recorded chunks of the pcaps (both directions) fed again and
 * again to fresh connection parsers (one per recorded connection), per group of encodings. Prints MB/s and
 * messages/s; asserts that every round yields the golden messages.
 */
class ThriftThroughputTest {
    /** One server port per pcap: 19090..19094. */
    private static final String[] CLASSIC = {"thrift-binary-framed", "thrift-binary-buffered",
        "thrift-binary-buffered-nonstrict", "thrift-compact-framed", "thrift-compact-buffered"};
    /** Ports 17800..17801. */
    private static final String[] THEADER = {"thrift-header-binary", "thrift-header-compact"};
    /** Ports 17802..17803. */
    private static final String[] JSON = {"thrift-json-framed", "thrift-json-buffered"};

    @Test
    void throughputOverGoldenPayloads() throws Exception {
        ParserThroughput.Result result = run("Thrift binary/compact", CLASSIC, 19090, 19091, 19092, 19093, 19094);
        assertEquals(5L * 17, result.messagesPerRound());
    }

    @Test
    void throughputOverTheaderPayloads() throws Exception {
        ParserThroughput.Result result = run("Thrift THeader", THEADER, 17800, 17801);
        assertEquals(2L * 21, result.messagesPerRound(), "11 calls, 10 replies per connection");
    }

    @Test
    void throughputOverJsonPayloads() throws Exception {
        ParserThroughput.Result result = run("Thrift JSON", JSON, 17802, 17803);
        assertEquals(2L * 17, result.messagesPerRound());
    }

    private static ParserThroughput.Result run(String label, String[] pcaps, int... ports) throws Exception {
        List<ParserThroughput.Connection> connections = new ArrayList<>();
        for (String pcap : pcaps) {
            connections.addAll(PcapConnections.read("/thrift/" + pcap + ".pcap", ports));
        }
        return ParserThroughput.of(ThriftParser::new).run(connections).print(label);
    }
}
