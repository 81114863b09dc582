package ${package}.internal;

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
 * The example client and server recorded with tcpdump (src/test/recording/record.sh), replayed through the pcap
 * input and the real pipeline: the message records must equal the checked-in golden file beside the pcap, and the
 * spans must pair what belongs together. After a deliberate change to the parser, rewrite the golden file with
 * {@code mvn test -Dgolden.update=true} and read the diff.
 */
class ${protocolName}GoldenTest {
    static final String PCAP = "/golden/example.pcap";

    @Test
    void recordedTrafficGivesTheCheckedInMessageRecords() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new ${protocolName}Protocol(), PCAP);
        g.assertMatchesGolden(PCAP);

        List<L7Message> requests = g.messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST)
                .toList();
        assertEquals(9, requests.size(), "7 on the first connection, 2 on the second: the garbage is no request");
        L7Message big = requests.stream().filter(m -> "/blobs/big".equals(m.parsed().requestResource()))
                .findFirst().orElseThrow();
        assertTrue(big.parsed().size() > 200_000, "the body the snap length truncated is skipped, not lost");
        assertTrue(g.counter("stream.truncated_bytes") > 150_000, "the pcap really has gaps inside that body");
        assertEquals(Map.of("${protocolName}.bad_header", 1L), g.countersStartingWith("parse.malformed."));
    }

    @Test
    void spansPairByRequestIdEvenOutOfOrder() throws Exception {
        GoldenPcap g = GoldenPcap.replay(new ${protocolName}Protocol(), PCAP);
        assertEquals(9, g.spans.size(), "one span per request");
        Span slow = g.spans.stream().filter(s -> "SLOW".equals(s.requestType())).findFirst().orElseThrow();
        // Requests 4 (SLOW) and 5 (GET /users/43) left in one chunk; the server answered 5 first.
        Span fast = g.spans.stream().filter(s -> "/users/43".equals(s.endpoint()) && "GET".equals(s.requestType())
                && s.startNs() == slow.startNs()).findFirst().orElseThrow();
        assertTrue(fast.endNs() < slow.endNs(), "answered first although asked second");
        assertEquals(ResponseStatus.OK, slow.responseStatus());
        Span missing = g.spans.stream().filter(s -> "/users/99".equals(s.endpoint())).findFirst().orElseThrow();
        assertEquals(ResponseStatus.CLIENT_ERROR, missing.responseStatus());
        assertEquals(404, missing.responseCode());
    }
}
