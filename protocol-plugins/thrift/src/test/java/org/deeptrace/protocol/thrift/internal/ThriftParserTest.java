package org.deeptrace.protocol.thrift.internal;

import static org.deeptrace.protocol.thrift.internal.ThriftBytes.CALL;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.EXCEPTION;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.ONEWAY;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.REPLY;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.compact;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.concat;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.framed;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.old;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.strict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class ThriftParserTest {
    private static final ThriftProtocol THRIFT = new ThriftProtocol();

    @Test
    void framedBinaryCallAndReply() {
        byte[] call = framed(strict(CALL, "getUser", 7, ThriftBytes.binaryArgs()));
        byte[] reply = framed(strict(REPLY, "getUser", 7, ThriftBytes.binaryResultOk()));
        ParserHarness h = ParserHarness.open(THRIFT).client(call).server(reply);
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("Thrift", req.protocol());
        assertEquals("CALL", req.requestType());
        assertEquals("getUser", req.requestResource());
        assertEquals("getUser", req.endpoint());
        assertEquals(7L, req.requestId());
        assertEquals("binary/framed", req.version());
        assertEquals(call.length, req.size());
        assertTrue(req.expectsResponse());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertEquals(7L, resp.requestId());
        assertEquals(reply.length, resp.size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void unframedBodiesAreDelimitedByWalkingTheStruct() {
        for (boolean useCompact : new boolean[] {false, true}) {
            byte[] args = useCompact ? ThriftBytes.compactArgs() : ThriftBytes.binaryArgs();
            byte[] call = useCompact ? compact(CALL, "put", 1, args) : strict(CALL, "put", 1, args);
            byte[] ping = useCompact ? compact(CALL, "ping", 2, new byte[] {0}) : old(CALL, "ping", 2, new byte[] {0});
            byte[] both = concat(call, ping);
            ParserHarness h = ParserHarness.open(THRIFT).client(both);
            assertEquals(List.of("put", "ping"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
            assertEquals(call.length, h.requests().get(0).end());
            assertEquals(both.length, h.requests().get(1).end());
            assertEquals(useCompact ? "compact/buffered" : "binary-old/buffered", h.requests().get(1).parsed().version());
            assertTrue(h.malformed().isEmpty());
        }
    }

    @Test
    void sameMessagesWhateverTheChunking() {
        byte[] stream = concat(strict(CALL, "put", 1, ThriftBytes.binaryArgs()),
                framed(compact(CALL, "put", 2, ThriftBytes.compactArgs())),
                compact(ONEWAY, "log", 3, ThriftBytes.compactArgs()),
                framed(old(CALL, "get", 4, ThriftBytes.binaryArgs())));
        List<String> expected = describe(ParserHarness.open(THRIFT).client(stream));
        assertEquals(4, expected.size());
        for (int cut = 1; cut < stream.length; cut++) {
            assertEquals(expected, describe(ParserHarness.open(THRIFT).feedSplit(Origin.CLIENT, stream, cut)),
                    "split at " + cut);
        }
        assertEquals(expected, describe(ParserHarness.open(THRIFT).feedInChunksOf(Origin.CLIENT, stream, 1)));
    }

    @Test
    void declaredExceptionIsAnErrorNamedByItsField() {
        ParserHarness h = ParserHarness.open(THRIFT)
                .server(strict(REPLY, "get", 1, ThriftBytes.binaryResultDeclared()))
                .server(framed(compact(REPLY, "get", 2, ThriftBytes.compactResultDeclared())))
                .server(framed(strict(REPLY, "ping", 3, ThriftBytes.binaryResultVoid())))
                .server(compact(REPLY, "add", 4, ThriftBytes.compactResultOk()));
        List<ParsedMessage> r = h.responses().stream().map(ParserHarness.Message::parsed).toList();
        assertEquals(ResponseStatus.ERROR, r.get(0).responseStatus());
        assertEquals("field 2", r.get(0).responseException());
        assertEquals("field 1", r.get(1).responseException());
        assertEquals(ResponseStatus.OK, r.get(2).responseStatus(), "void result");
        assertNull(r.get(2).responseException());
        assertEquals(ResponseStatus.OK, r.get(3).responseStatus());
    }

    @Test
    void applicationExceptionCarriesItsMessageAndType() {
        ParserHarness h = ParserHarness.open(THRIFT)
                .server(framed(strict(EXCEPTION, "nosuch", 9, ThriftBytes.binaryAppException("Unknown function", 1))))
                .server(compact(EXCEPTION, "crash", 10, ThriftBytes.compactAppException("Internal error", 6)));
        ParsedMessage a = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.ERROR, a.responseStatus());
        assertEquals("Unknown function", a.responseException());
        assertEquals(1, a.responseCode());
        ParsedMessage b = h.responses().get(1).parsed();
        assertEquals("Internal error", b.responseException());
        assertEquals(6, b.responseCode());
    }

    @Test
    void onewayExpectsNoResponseAndMultiplexedNamesGiveTheService() {
        ParserHarness h = ParserHarness.open(THRIFT)
                .client(framed(strict(ONEWAY, "Store:log", 1, new byte[] {0})));
        ParsedMessage m = h.requests().get(0).parsed();
        assertEquals("ONEWAY", m.requestType());
        assertFalse(m.expectsResponse());
        assertEquals("Store", m.requestDomain());
        assertEquals("Store:log", m.endpoint());
    }

    @Test
    void gapInsideAFrameKeepsTheFraming() {
        byte[] call = framed(strict(CALL, "put", 1, ThriftBytes.binaryArgs()));
        byte[] next = framed(strict(CALL, "get", 2, ThriftBytes.binaryArgs()));
        ParserHarness h = ParserHarness.open(THRIFT)
                .feed(Origin.CLIENT, call, 0, 40)
                .gap(Origin.CLIENT, call.length - 40)
                .client(next);
        assertEquals(List.of("put", "get"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
        assertEquals(call.length, h.requests().get(0).parsed().size());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void gapInsideAStringOfAnUnframedBodyKeepsTheFraming() {
        byte[] call = strict(CALL, "put", 1, ThriftBytes.binaryArgs());
        int inString = call.length - 100; // inside the 300-byte binary field near the end
        ParserHarness h = ParserHarness.open(THRIFT)
                .feed(Origin.CLIENT, call, 0, inString)
                .gap(Origin.CLIENT, 50)
                .feed(Origin.CLIENT, call, inString + 50, call.length)
                .client(strict(CALL, "ping", 2, new byte[] {0}));
        assertEquals(List.of("put", "ping"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void gapBetweenMessagesIsLostThenTheParserResyncs() {
        byte[] reply = framed(strict(REPLY, "get", 1, ThriftBytes.binaryResultOk()));
        ParserHarness h = ParserHarness.open(THRIFT)
                .server(reply)
                .gap(Origin.SERVER, 500)
                .server(Arrays.copyOfRange(reply, 10, reply.length)) // the tail of a message: skipped
                .server(reply);
        assertEquals(1, h.lost().size());
        assertEquals(2, h.responses().size());
        h.unknownGap(Origin.SERVER).server(reply);
        assertEquals(3, h.responses().size());
    }

    @Test
    void garbageIsMalformedAndTheNextMessageParses() {
        byte[] call = strict(CALL, "ping", 1, new byte[] {0});
        ParserHarness h = ParserHarness.open(THRIFT)
                .client("GET / HTTP/1.1\r\n\r\n")
                .client("more garbage")
                .client(call);
        assertEquals(1, h.malformed().size());
        assertEquals("bad message header", h.malformed().get(0).reason());
        assertEquals(1, h.requests().size());
    }

    @Test
    void badStructIsMalformedAndResyncs() {
        byte[] badType = strict(CALL, "put", 1, ThriftBytes.of().u8(99).i16(1).u8(0).build());
        byte[] negativeLength = strict(CALL, "put", 2, ThriftBytes.of().u8(11).i16(1).i32(-5).build());
        ThriftBytes deep = ThriftBytes.of();
        for (int i = 0; i < 100; i++) {
            deep.u8(12).i16(1);
        }
        ParserHarness h = ParserHarness.open(THRIFT)
                .client(badType)
                .client(negativeLength)
                .client(strict(CALL, "deep", 3, deep.build()))
                .client(strict(CALL, "ping", 4, new byte[] {0}));
        assertEquals(List.of("bad struct", "bad struct", "bad struct"),
                h.malformed().stream().map(ParserHarness.Malformed::reason).toList());
        assertEquals(List.of("ping"), h.requests().stream().map(m -> m.parsed().endpoint()).toList());
    }

    @Test
    void randomAndMutatedInputNeverThrowsNorSticks() {
        Random random = new Random(42);
        byte[][] seeds = {
            framed(strict(CALL, "put", 1, ThriftBytes.binaryArgs())),
            strict(CALL, "put", 1, ThriftBytes.binaryArgs()),
            compact(CALL, "put", 1, ThriftBytes.compactArgs()),
            framed(compact(EXCEPTION, "x", 1, ThriftBytes.compactAppException("boom", 6))),
        };
        byte[] ping = strict(CALL, "ping", 77, new byte[] {0});
        for (int i = 0; i < 3000; i++) {
            byte[] input;
            if (i % 3 == 0) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
            } else {
                input = seeds[random.nextInt(seeds.length)].clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            ParserHarness h = ParserHarness.open(THRIFT).feedInChunksOf(Origin.CLIENT, input, 1 + random.nextInt(64));
            assertTrue(h.messages().size() <= input.length);
            // A later, valid message in its own chunk is parsed whatever came before (or the parser is mid-frame
            // of a plausible length: an unknown gap then forces the resync).
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
