package org.deeptrace.protocol.thrift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.testkit.pcap.GoldenPcap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * python3-thrift client and server (code generated from src/test/recording/store.thrift) on loopback, recorded
 * with tcpdump by src/test/recording/record.sh: the same calls over each protocol and transport.
 */
class ThriftGoldenTest {

    @ParameterizedTest
    @CsvSource({
        "thrift-binary-framed, binary/framed",
        "thrift-binary-buffered, binary/buffered",
        "thrift-binary-buffered-nonstrict, binary-old/buffered",
        "thrift-compact-framed, compact/framed",
        "thrift-compact-buffered, compact/buffered",
    })
    void callsRepliesAndExceptions(String name, String clientVersion) throws Exception {
        String resource = "/thrift/" + name + ".pcap";
        GoldenPcap g = GoldenPcap.replay(new ThriftProtocol(), resource);
        g.assertMatchesGolden(resource);

        List<L7Message> requests = g.messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST)
                .toList();
        assertEquals(List.of("ping", "add", "put", "get", "get", "log", "crash", "nosuch", "ping"),
                requests.stream().map(m -> m.parsed().endpoint()).toList());
        for (L7Message m : requests) {
            assertEquals(clientVersion, m.parsed().version());
        }
        L7Message log = requests.get(5);
        assertEquals("ONEWAY", log.parsed().requestType());
        assertFalse(log.parsed().expectsResponse());
        assertEquals(8, g.messages.size() - requests.size(), "every call but the oneway one has a reply");

        List<L7Message> responses = g.messages.stream().filter(m -> m.parsed().type() == MessageType.RESPONSE)
                .toList();
        L7Message notFound = responses.get(4);
        assertEquals("get", notFound.parsed().endpoint());
        assertEquals(ResponseStatus.ERROR, notFound.parsed().responseStatus(), "get(missing) throws NotFound");
        assertEquals("field 1", notFound.parsed().responseException());
        L7Message unknown = responses.get(6);
        assertEquals(1, unknown.parsed().responseCode(), "TApplicationException.UNKNOWN_METHOD");
        assertTrue(unknown.parsed().responseException().contains("nosuch"), unknown.parsed()::responseException);
        assertEquals(1000L, unknown.parsed().requestId());

        assertEquals(9, g.spans.size());
        assertEquals(ResponseStatus.OK, g.span("add").responseStatus());
        List<Span> gets = g.spans.stream().filter(s -> "get".equals(s.endpoint())).toList();
        assertEquals(ResponseStatus.OK, gets.get(0).responseStatus());
        assertEquals(ResponseStatus.ERROR, gets.get(1).responseStatus());
        assertEquals(ResponseStatus.UNKNOWN, g.span("log").responseStatus(), "oneway: no response");
        Span crash = g.span("crash");
        assertEquals(ResponseStatus.ERROR, crash.responseStatus());
        assertEquals(6, crash.responseCode(), "TApplicationException.INTERNAL_ERROR");
        assertEquals(ResponseStatus.ERROR, g.span("nosuch").responseStatus());
        assertTrue(g.counters.snapshot().keySet().stream().noneMatch(k -> k.startsWith("parse.malformed")),
                () -> g.counters.snapshot().toString());
    }
}
