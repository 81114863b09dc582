package ${package}.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

/** Unit tests with the test kit's ParserHarness: bytes in, message records out, offsets checked. */
class ${protocolName}ParserTest {
    private final ${protocolName}Protocol protocol = new ${protocolName}Protocol();

    static String request(long id, String verb, String resource, String body) {
        return "REQ " + id + " " + verb + " " + resource + " " + body.length() + "\r\n" + body;
    }

    static String response(long id, int code, String body) {
        return "RES " + id + " " + code + " " + body.length() + "\r\n" + body;
    }

    private ParserHarness harness() {
        return ParserHarness.open(protocol);
    }

    private Inference infer(String firstBytes, int srcPort, int dstPort) {
        return protocol.infer(ByteBuffer.wrap(firstBytes.getBytes(StandardCharsets.US_ASCII)), Transport.TCP,
                srcPort, dstPort);
    }

    @Test
    void infersWhichEndSpeaksAndHowSureItIs() {
        Inference req = infer(request(1, "GET", "/a", ""), 40000, 9000);
        assertEquals(Origin.CLIENT, req.sender());
        assertEquals(0.9, req.confidence());
        assertEquals(0.95, infer(request(1, "GET", "/a", ""), 40000, ${protocolName}Protocol.DEFAULT_PORT).confidence());
        Inference resp = infer(response(1, 200, "ok"), 9000, 40000);
        assertEquals(Origin.SERVER, resp.sender());
        assertEquals(0.5, infer("REQ 1 GET /a-line-cut-sh", 40000, 9000).confidence(), "plausible: wait for more");
        assertEquals(0, infer("REQ one GET /a 0\r\n", 40000, 9000).confidence(), "a complete bad line is not ours");
        assertEquals(0, infer("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 40000, 80).confidence());
        assertEquals(0, infer("RE", 40000, 9000).confidence());
        assertEquals(0, protocol.infer(ByteBuffer.wrap(new byte[] {'R', 'E', 'Q', ' '}), Transport.UDP, 1, 2)
                .confidence(), "TCP only");
    }

    @Test
    void requestAndResponseCarryTheContractFields() {
        ParserHarness h = harness().client(request(7, "GET", "/users/42?fields=name", ""))
                .server(response(7, 200, "{\"name\":\"alice\"}"));
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("${protocolName}", req.protocol());
        assertEquals("GET", req.requestType());
        assertEquals("/users/42?fields=name", req.requestResource());
        assertEquals("/users/42", req.endpoint(), "the endpoint drops the query string");
        assertEquals(7L, req.requestId());
        assertEquals(request(7, "GET", "/users/42?fields=name", "").length(), req.size());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(200, resp.responseCode());
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertEquals(7L, resp.requestId());
        assertNull(resp.responseException());
        assertEquals(response(7, 200, "{\"name\":\"alice\"}").length(), resp.size());
    }

    @Test
    void errorResponsesKeepTheStartOfTheirBodyAsTheException() {
        ParserHarness h = harness().server(response(3, 404, "no such resource: /users/99")
                + response(4, 503, "x".repeat(1000)));
        assertEquals(ResponseStatus.CLIENT_ERROR, h.responses().get(0).parsed().responseStatus());
        assertEquals("no such resource: /users/99", h.responses().get(0).parsed().responseException());
        assertEquals(ResponseStatus.SERVER_ERROR, h.responses().get(1).parsed().responseStatus());
        assertEquals(${protocolName}Parser.MAX_EXCEPTION, h.responses().get(1).parsed().responseException().length());
    }

    @Test
    void pipelinedMessagesInOneChunkAndOneMessageAcrossManyChunks() {
        String two = request(4, "SLOW", "/reports/daily", "") + request(5, "PUT", "/users/43", "{\"name\":\"bob\"}");
        ParserHarness h = harness().client(two);
        assertEquals(2, h.requests().size());
        assertEquals(h.requests().get(0).end(), h.requests().get(1).start(), "back to back");

        byte[] bytes = two.getBytes(StandardCharsets.US_ASCII);
        ParserHarness oneByteAtATime = harness().feedInChunksOf(Origin.CLIENT, bytes, 1);
        assertEquals(h.messages(), oneByteAtATime.messages(), "chunk boundaries change nothing");
        Random random = new Random(42);
        for (int run = 0; run < 50; run++) {
            int a = random.nextInt(bytes.length);
            int b = a + random.nextInt(bytes.length - a);
            assertEquals(h.messages(), harness().feedSplit(Origin.CLIENT, bytes, a, b).messages());
        }
    }

    @Test
    void responsesOutOfOrderKeepTheirIds() {
        ParserHarness h = harness().client(request(4, "SLOW", "/r", "") + request(5, "GET", "/u", ""))
                .server(response(5, 200, "u")).server(response(4, 200, "done"));
        assertEquals(List.of(5L, 4L), h.responses().stream().map(m -> m.parsed().requestId()).toList());
    }

    @Test
    void aGapInsideABodyKeepsTheFraming() {
        String body = "y".repeat(5000);
        String whole = request(6, "PUT", "/blobs/big", body);
        int captured = whole.length() - body.length() + 100; // header and 100 bytes of body captured
        ParserHarness h = harness().client(whole.substring(0, captured))
                .gap(Origin.CLIENT, 4900)
                .client(request(7, "GET", "/x", ""));
        assertEquals(2, h.requests().size());
        assertEquals(whole.length(), h.requests().get(0).parsed().size());
        assertEquals(7L, h.requests().get(1).parsed().requestId());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void aGapBetweenMessagesIsReportedLostAndTheNextMessageStartsAFreshChunk() {
        ParserHarness h = harness().server(response(1, 200, "a"))
                .gap(Origin.SERVER, 40)
                .server("tail of a lost response\r\n")   // ignored: not the start of a message
                .server(response(3, 200, "c"));
        assertEquals(1, h.lost().size());
        assertEquals(new ParserHarness.Lost(Origin.SERVER, h.responses().get(0).end(),
                h.responses().get(0).end() + 40), h.lost().get(0));
        assertEquals(List.of(1L, 3L), h.responses().stream().map(m -> m.parsed().requestId()).toList());
        assertTrue(h.malformed().isEmpty());
    }

    @Test
    void aGapOfUnknownLengthWaitsForTheNextMessage() {
        ParserHarness h = harness().client("REQ 1 GET /half")
                .unknownGap(Origin.CLIENT)
                .client(" 0\r\n")
                .client(request(2, "GET", "/b", ""));
        assertEquals(List.of(2L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
    }

    @Test
    void malformedHeadersAreReportedAndTheParserResynchronises() {
        ParserHarness h = harness().client(request(1, "GET", "/a", ""))
                .client("HELLO THERE\r\n")
                .client(request(2, "GET", "/b", ""))
                .client("REQ 3 GET /c 99999999999\r\n")
                .client(request(4, "GET", "/d", ""))
                .client("REQ 5 GET /" + "z".repeat(2000))
                .client(request(6, "GET", "/e", ""))
                .client(response(7, 200, ""));
        assertEquals(List.of(1L, 2L, 4L, 6L), h.requests().stream().map(m -> m.parsed().requestId()).toList());
        assertEquals(List.of("bad header", "bad length", "header too long", "response from the client"),
                h.malformed().stream().map(ParserHarness.Malformed::reason).toList());
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            byte[] junk = new byte[random.nextInt(3000)];
            random.nextBytes(junk);
            if (run % 2 == 0 && junk.length > 4) {
                junk[0] = 'R';
                junk[1] = 'E';
                junk[2] = 'Q';
                junk[3] = ' ';
            }
            ParserHarness.open(protocol).feedInChunksOf(Origin.CLIENT, junk, 1 + random.nextInt(64)).close();
            protocol.infer(ByteBuffer.wrap(junk), Transport.TCP, 1, 2);
        }
    }
}
