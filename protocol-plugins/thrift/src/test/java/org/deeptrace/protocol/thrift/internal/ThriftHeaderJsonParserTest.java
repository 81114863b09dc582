package org.deeptrace.protocol.thrift.internal;

import static org.deeptrace.protocol.thrift.internal.ThriftBytes.CALL;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.EXCEPTION;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.ONEWAY;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.REPLY;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.compact;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.concat;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.framed;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.json;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.strict;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.theader;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.zlib;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

/** The THeader transport and the JSON protocol. */
class ThriftHeaderJsonParserTest {
    private static final ThriftProtocol THRIFT = new ThriftProtocol();
    private static final int[] NONE = {};
    private static final int[] ZLIB = {1};
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void theaderCallAndReplyWithInfoHeaders() {
        byte[] call = theader(0, 7, NONE, strict(CALL, "getUser", 7, ThriftBytes.binaryArgs()),
                "X-Request-Id", "r-1", "traceparent", TRACEPARENT, "client", "x".repeat(40));
        byte[] reply = theader(0, 7, NONE, strict(REPLY, "getUser", 7, ThriftBytes.binaryResultDeclared()));
        ParserHarness h = ParserHarness.open(THRIFT).client(call).server(reply);
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("getUser", req.endpoint());
        assertEquals("binary/header", req.version());
        assertEquals(7L, req.requestId());
        assertEquals("r-1", req.xRequestId(), "info header names are case-insensitive");
        assertEquals("0af7651916cd43dd8448eb211c80319c", req.traceId());
        assertEquals("b7ad6b7169203331", req.spanId());
        assertEquals(call.length, req.size());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.ERROR, resp.responseStatus());
        assertEquals("field 2", resp.responseException());
        assertNull(resp.xRequestId());
        assertEquals(reply.length, resp.size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void theaderCompactAndJsonInside() {
        byte[] c = theader(2, 3, NONE, compact(EXCEPTION, "crash", 3, ThriftBytes.compactAppException("boom", 6)));
        byte[] j = theader(1, 4, NONE, json(REPLY, "add", 4, "{\"0\":{\"i64\":42}}"));
        ParserHarness h = ParserHarness.open(THRIFT).server(concat(c, j));
        List<ParsedMessage> r = h.responses().stream().map(m -> m.parsed()).toList();
        assertEquals("compact/header", r.get(0).version());
        assertEquals("boom", r.get(0).responseException());
        assertEquals(6, r.get(0).responseCode());
        assertEquals("json/header", r.get(1).version());
        assertEquals(ResponseStatus.OK, r.get(1).responseStatus());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void protocolIdMustMatchTheMessageInside() {
        byte[] lying = theader(2, 1, NONE, strict(CALL, "ping", 1, new byte[] {0})); // says compact, is binary
        ParserHarness h = ParserHarness.open(THRIFT).client(lying);
        assertEquals(List.of("bad message header"), h.malformed().stream().map(ParserHarness.Malformed::reason)
                .toList());
    }

    @Test
    void zlibPayloadIsInflatedForTheMethodAndTheReplyStatus() {
        byte[] call = theader(0, 9, ZLIB, zlib(strict(CALL, "put", 9, ThriftBytes.binaryArgs())));
        byte[] reply = theader(2, 9, ZLIB, zlib(compact(EXCEPTION, "put", 9,
                ThriftBytes.compactAppException("Internal error", 6))));
        ParserHarness h = ParserHarness.open(THRIFT).client(call).server(reply);
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("put", req.endpoint());
        assertEquals(9L, req.requestId());
        assertEquals(call.length, req.size());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals("Internal error", resp.responseException());
        assertEquals(6, resp.responseCode());
        assertEquals("compact/header", resp.version());
    }

    @Test
    void otherTransformsAndHugeInfoHeadersLeaveTheMethodUnknown() {
        byte[] snappy = theader(0, 5, new int[] {3}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] badZlib = theader(2, 6, ZLIB, "not zlib at all, really".getBytes(StandardCharsets.US_ASCII));
        byte[] hugeInfo = theader(0, 8, NONE, strict(CALL, "ping", 8, new byte[] {0}), "big", "v".repeat(5000));
        byte[] ping = theader(0, 10, NONE, strict(CALL, "ping", 10, new byte[] {0}));
        ParserHarness h = ParserHarness.open(THRIFT).client(concat(snappy, badZlib, hugeInfo, ping));
        List<ParsedMessage> r = h.requests().stream().map(m -> m.parsed()).toList();
        assertEquals(4, r.size(), () -> r.toString());
        for (int i = 0; i < 3; i++) {
            assertNull(r.get(i).endpoint(), "unknown, not guessed");
            assertEquals(MessageType.REQUEST, r.get(i).type(), "sent by the client");
        }
        assertEquals(List.of(5L, 6L, 8L, 10L), r.stream().map(m -> ((Number) m.requestId()).longValue()).toList());
        assertEquals(List.of("binary/header", "compact/header", "binary/header", "binary/header"),
                r.stream().map(ParsedMessage::version).toList());
        assertEquals("ping", r.get(3).endpoint());
        assertEquals(hugeInfo.length, r.get(2).size());
        ParserHarness s = ParserHarness.open(THRIFT).server(snappy);
        assertEquals(ResponseStatus.UNKNOWN, s.responses().get(0).parsed().responseStatus());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void jsonBufferedMessagesAreDelimitedByBalancingBrackets() {
        byte[] put = json(CALL, "put", 1, "{\"1\":{\"rec\":{\"1\":{\"str\":\"a ] } [ { \\\" \\\\\"},"
                + "\"3\":{\"lst\":[\"str\",2,\"a\",\"b\"]},\"4\":{\"map\":[\"str\",\"i32\",1,{\"x\":-1.5e3}]}}}}");
        byte[] ping = json(CALL, "ping", 2, "{\"-1\":{\"i32\":5}}"); // a field declared without an id
        byte[] log = json(ONEWAY, "log", 3, "{\"1\":{\"str\":\"\\u00e9t\\u00e9\"}}");
        byte[] stream = concat(put, ping, log);
        ParserHarness h = ParserHarness.open(THRIFT).client(stream);
        assertEquals(List.of("put", "ping", "log"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
        assertEquals(put.length, h.requests().get(0).end());
        assertEquals(put.length + ping.length, h.requests().get(1).end());
        assertEquals("json/buffered", h.requests().get(0).parsed().version());
        assertFalse(h.requests().get(2).parsed().expectsResponse());
        assertTrue(h.malformed().isEmpty());

        List<String> expected = describe(h);
        for (int cut = 1; cut < stream.length; cut++) {
            assertEquals(expected, describe(ParserHarness.open(THRIFT).feedSplit(Origin.CLIENT, stream, cut)),
                    "split at " + cut);
        }
        assertEquals(expected, describe(ParserHarness.open(THRIFT).feedInChunksOf(Origin.CLIENT, stream, 1)));
    }

    @Test
    void jsonRepliesAndExceptions() {
        byte[] ok = framed(json(REPLY, "add", 1, "{\"0\":{\"i64\":42}}"));
        byte[] voidReply = json(REPLY, "ping", 2, "{}");
        byte[] declared = json(REPLY, "get", 3, "{\"1\":{\"rec\":{\"1\":{\"str\":\"missing\"},\"2\":{\"i32\":404}}}}");
        byte[] app = json(EXCEPTION, "crash", -4, "{\"1\":{\"str\":\"say \\\"boom\\\"\"},\"2\":{\"i32\":6}}");
        ParserHarness h = ParserHarness.open(THRIFT).server(concat(ok, voidReply, declared, app));
        List<ParsedMessage> r = h.responses().stream().map(m -> m.parsed()).toList();
        assertEquals("json/framed", r.get(0).version());
        assertEquals(ResponseStatus.OK, r.get(0).responseStatus());
        assertEquals(ResponseStatus.OK, r.get(1).responseStatus(), "void");
        assertEquals(ResponseStatus.ERROR, r.get(2).responseStatus());
        assertEquals("field 1", r.get(2).responseException());
        assertEquals("say \"boom\"", r.get(3).responseException());
        assertEquals(6, r.get(3).responseCode());
        assertEquals(-4L, r.get(3).requestId());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void badJsonIsMalformedAndResyncs() {
        byte[][] bad = {
            json(CALL, "put", 1, "{\"1\":{\"str\":\"x\"}]"), // } expected
            json(CALL, "put", 2, "{\"one\":{\"str\":\"x\"}}"), // keys are field ids
            json(CALL, "put", 3, "{\"1\":{\"str\":\"x\"}} <"), // not JSON
            json(CALL, "put", 4, "[]"), // the struct is an object
            json(CALL, "put", 5, "{\"1\":{\"str\":\"a\u0001\"}}"), // a raw control byte in a string
            json(CALL, "put", 6, "{" + "[".repeat(100) + "]".repeat(100) + "}"), // too deep
        };
        ParserHarness h = ParserHarness.open(THRIFT);
        for (byte[] b : bad) {
            h.client(b);
        }
        h.client(json(CALL, "ping", 7, "{}"));
        assertEquals(6, h.malformed().size(), () -> h.malformed().toString());
        assertTrue(h.malformed().stream().allMatch(m -> m.reason().equals("bad struct")));
        assertEquals(List.of("ping"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
    }

    @Test
    void gapInsideATheaderFrameKeepsTheFramingAndInsideJsonLosesIt() {
        byte[] call = theader(0, 1, NONE, strict(CALL, "put", 1, ThriftBytes.binaryArgs()));
        byte[] ping = theader(0, 2, NONE, strict(CALL, "ping", 2, new byte[] {0}));
        ParserHarness h = ParserHarness.open(THRIFT)
                .feed(Origin.CLIENT, call, 0, 80)
                .gap(Origin.CLIENT, 100)
                .feed(Origin.CLIENT, call, 180, call.length)
                .client(ping);
        assertEquals(List.of("put", "ping"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
        assertEquals(call.length, h.requests().get(0).parsed().size());

        byte[] put = json(CALL, "put", 3, "{\"1\":{\"str\":\"" + "z".repeat(300) + "\"}}");
        ParserHarness j = ParserHarness.open(THRIFT)
                .feed(Origin.CLIENT, put, 0, 50)
                .gap(Origin.CLIENT, 100)
                .feed(Origin.CLIENT, put, 150, put.length)
                .client(json(CALL, "ping", 4, "{}"));
        assertEquals(List.of("ping"), j.requests().stream().map(m -> m.parsed().endpoint()).toList(),
                "the cut message is dropped; the next one parses");
    }

    @Test
    void theaderSameMessagesWhateverTheChunking() {
        byte[] stream = concat(
                theader(0, 1, NONE, strict(CALL, "put", 1, ThriftBytes.binaryArgs()), "x-request-id", "abc"),
                theader(2, 2, ZLIB, zlib(compact(CALL, "put", 2, ThriftBytes.compactArgs()))),
                theader(0, 3, new int[] {3}, new byte[] {9, 9, 9}),
                theader(0, 4, NONE, strict(ONEWAY, "log", 4, ThriftBytes.binaryArgs()), "big", "v".repeat(5000)));
        List<String> expected = describe(ParserHarness.open(THRIFT).client(stream));
        assertEquals(4, expected.size());
        for (int cut = 1; cut < stream.length; cut += 7) {
            assertEquals(expected, describe(ParserHarness.open(THRIFT).feedSplit(Origin.CLIENT, stream, cut)),
                    "split at " + cut);
        }
        assertEquals(expected, describe(ParserHarness.open(THRIFT).feedInChunksOf(Origin.CLIENT, stream, 1)));
    }

    @Test
    void randomAndMutatedInputNeverThrowsNorSticks() {
        Random random = new Random(7);
        byte[][] seeds = {
            theader(0, 1, NONE, strict(CALL, "put", 1, ThriftBytes.binaryArgs()), "traceparent", TRACEPARENT),
            theader(2, 1, ZLIB, zlib(compact(CALL, "put", 1, ThriftBytes.compactArgs()))),
            json(CALL, "put", 1, "{\"1\":{\"rec\":{\"1\":{\"str\":\"a\\\"]\"},\"2\":{\"lst\":[\"i32\",2,1,2]}}}}"),
            framed(json(EXCEPTION, "x", 1, "{\"1\":{\"str\":\"boom\"},\"2\":{\"i32\":6}}")),
        };
        byte[] ping = strict(CALL, "ping", 77, new byte[] {0});
        for (int i = 0; i < 3000; i++) {
            byte[] input = seeds[random.nextInt(seeds.length)].clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            ParserHarness h = ParserHarness.open(THRIFT).feedInChunksOf(Origin.CLIENT, input, 1 + random.nextInt(64));
            assertTrue(h.messages().size() <= input.length);
            h.unknownGap(Origin.CLIENT).client(ping);
            assertEquals(77L, h.requests().get(h.requests().size() - 1).parsed().requestId(), () -> "input "
                    + Arrays.toString(input));
        }
    }

    private static List<String> describe(ParserHarness h) {
        return h.messages().stream().map(m -> m.origin() + " " + m.start() + "-" + m.end() + " " + m.parsed())
                .toList();
    }
}
