package org.deeptrace.protocol.fastcgi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.pcap.PcapConnections;
import org.junit.jupiter.api.Test;

/**
 * Parse throughput over the golden payloads: the recorded chunks of the nginx/php-fpm pcap (both directions) fed again
 * and again to fresh connection parsers (one per recorded connection). Prints MB/s and messages/s; asserts that every
 * round yields the golden messages.
 */
class FcgiThroughputTest {
    @Test
    void throughputOverGoldenPayloads() throws Exception {
        ParserThroughput.Result result = ParserThroughput.of(FcgiParser::new)
                .run(PcapConnections.read("/fastcgi/fastcgi-nginx-php-fpm.pcap", 19000))
                .print("FastCGI");
        assertEquals(14, result.messagesPerRound());
    }
}
