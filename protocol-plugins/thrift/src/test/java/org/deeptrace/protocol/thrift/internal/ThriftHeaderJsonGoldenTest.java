package org.deeptrace.protocol.thrift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.testkit.pcap.GoldenPcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * python3-thrift 0.17 client and server on loopback over the THeader transport (binary and compact inside) and
 * the JSON protocol (framed and buffered), recorded by src/test/recording/record.sh ({@code SETS=header-json},
 * ports 17800..17803): the calls of {@link ThriftGoldenTest}; the THeader client also sends info headers and, at
 * the end, a put and a ping through the zlib transform.
 */
class ThriftHeaderJsonGoldenTest {
    private static final List<String> CALLS = List.of("ping", "add", "put", "get", "get", "log", "crash", "nosuch",
            "ping");

    @ParameterizedTest
    @CsvSource({
        "thrift-header-binary, binary/header",
        "thrift-header-compact, compact/header",
        "thrift-json-framed, json/framed",
        "thrift-json-buffered, json/buffered",
    })
    void callsRepliesAndExceptions(String name, String version) throws Exception {
        String resource = "/thrift/" + name + ".pcap";
        GoldenPcap g = GoldenPcap.replay(new ThriftProtocol(), resource);
        g.assertMatchesGolden(resource);
        boolean header = version.endsWith("/header");

        List<L7Message> requests = g.messagesOfType(MessageType.REQUEST);
        List<String> expected = header ? concat(CALLS, List.of("put", "ping")) : CALLS;
        assertEquals(expected, requests.stream().map(m -> m.parsed().endpoint()).toList());
        for (L7Message m : g.messages) {
            assertEquals(version, m.parsed().version(), m::toString);
        }
        L7Message log = requests.get(5);
        assertEquals("ONEWAY", log.parsed().requestType());
        assertFalse(log.parsed().expectsResponse());

        List<L7Message> responses = g.messagesOfType(MessageType.RESPONSE);
        assertEquals(requests.size() - 1, responses.size(), "every call but the oneway one has a reply");
        L7Message notFound = responses.get(4);
        assertEquals("get", notFound.parsed().endpoint());
        assertEquals(ResponseStatus.ERROR, notFound.parsed().responseStatus(), "get(missing) throws NotFound");
        assertEquals("field 1", notFound.parsed().responseException());
        L7Message crash = responses.get(5);
        assertEquals(6, crash.parsed().responseCode(), "TApplicationException.INTERNAL_ERROR");
        assertEquals("Internal error", crash.parsed().responseException());
        L7Message unknown = responses.get(6);
        assertEquals(1, unknown.parsed().responseCode(), "TApplicationException.UNKNOWN_METHOD");
        assertTrue(unknown.parsed().responseException().contains("nosuch"), unknown.parsed()::responseException);
        assertEquals(1000L, unknown.parsed().requestId());

        assertEquals(requests.size(), g.spans.size());
        assertEquals(ResponseStatus.OK, g.span("add").responseStatus());
        List<Span> gets = g.spans.stream().filter(s -> "get".equals(s.endpoint())).toList();
        assertEquals(ResponseStatus.OK, gets.get(0).responseStatus());
        assertEquals(ResponseStatus.ERROR, gets.get(1).responseStatus());
        assertEquals(ResponseStatus.UNKNOWN, g.span("log").responseStatus(), "oneway: no response");
        assertEquals(ResponseStatus.ERROR, g.span("nosuch").responseStatus());
        assertTrue(g.counters.snapshot().keySet().stream().noneMatch(k -> k.startsWith("parse.malformed")),
                () -> g.counters.snapshot().toString());
    }

    @Test
    void theaderInfoHeadersAndZlibPayloads() throws Exception {
        for (String name : List.of("thrift-header-binary", "thrift-header-compact")) {
            GoldenPcap g = GoldenPcap.replay(new ThriftProtocol(), "/thrift/" + name + ".pcap");
            List<L7Message> requests = g.messagesOfType(MessageType.REQUEST);
            assertEquals("req-0001", requests.get(0).parsed().xRequestId(), "info header x-request-id on ping");
            assertNull(requests.get(2).parsed().xRequestId(), "info headers are per message");
            L7Message add = requests.get(1);
            assertEquals("0af7651916cd43dd8448eb211c80319c", add.parsed().traceId(), "traceparent on add");
            assertEquals("b7ad6b7169203331", add.parsed().spanId());
            // The last put and ping went through the zlib transform: their method names came from inflating them.
            L7Message zlibPut = requests.get(9);
            assertEquals("put", zlibPut.parsed().endpoint());
            assertTrue(zlibPut.parsed().size() != requests.get(2).parsed().size(), "the put was compressed");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
