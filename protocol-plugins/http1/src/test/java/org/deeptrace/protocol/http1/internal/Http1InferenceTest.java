package org.deeptrace.protocol.http1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Http1InferenceTest {

    private final Http1Protocol protocol = new Http1Protocol();

    private Inference infer(String text) {
        return protocol.infer(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)), Transport.TCP, 40000, 80);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"})
    void requestLineOfEveryKnownMethodIsCertainAndFromTheClient(String method) {
        Inference v = infer(method + " /some/path?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(Origin.CLIENT, v.sender());
        assertTrue(v.confidence() >= 0.9, String.valueOf(v));
        assertTrue(infer(method + " * HTTP/1.0\r\n").confidence() >= 0.9);
    }

    @Test
    void statusLineIsCertainAndFromTheServer() {
        for (String line : new String[] {"HTTP/1.1 200 OK\r\n", "HTTP/1.0 404 Not Found\r\n", "HTTP/1.1 204\r\n",
            "HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 301 "}) {
            Inference v = infer(line);
            assertEquals(Origin.SERVER, v.sender(), line);
            assertTrue(v.confidence() >= 0.9, line);
        }
    }

    @Test
    void realTrafficIsRecognised() {
        for (String name : new String[] {"keepalive", "pipelined", "expect-continue", "http10-close"}) {
            Inference c = protocol.infer(ByteBuffer.wrap(Fixtures.client(name)), Transport.TCP, 40000, 80);
            Inference s = protocol.infer(ByteBuffer.wrap(Fixtures.server(name)), Transport.TCP, 80, 40000);
            assertEquals(Inference.of(Http1Inference.CERTAIN, Origin.CLIENT), c, name);
            assertEquals(Inference.of(Http1Inference.CERTAIN, Origin.SERVER), s, name);
        }
    }

    @Test
    void partialFirstChunks() {
        assertEquals(Inference.of(Http1Inference.PLAUSIBLE, Origin.CLIENT), infer("GET "));
        assertEquals(Inference.of(Http1Inference.PLAUSIBLE, Origin.CLIENT), infer("POST /api/v1/ord"));
        assertEquals(Inference.of(Http1Inference.LIKELY, Origin.CLIENT), infer("GET /index.html HTTP/"));
        assertEquals(Inference.of(Http1Inference.CERTAIN, Origin.CLIENT), infer("GET /index.html HTTP/1.1"));
        assertEquals(Inference.of(Http1Inference.PLAUSIBLE, Origin.SERVER), infer("HTTP/1.1 2"));
        assertEquals(Inference.of(Http1Inference.FRAGMENT, Origin.SERVER), infer("HTTP/"));
        assertEquals(Inference.of(Http1Inference.FRAGMENT, Origin.SERVER), infer("HTTP/1."));
        assertEquals(Inference.of(Http1Inference.PLAUSIBLE, Origin.SERVER), infer("HTTP/1.1 "));
        assertFalse(infer("GE").matches(), "too short to tell");
        assertFalse(infer("HTT").matches());
    }

    @Test
    void otherProtocolsAreRejected() {
        assertFalse(infer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").matches(), "HTTP/2 preface");
        assertFalse(infer("GET / HTTP/2.0\r\n").matches());
        assertFalse(infer("OPTIONS rtsp://cam/stream RTSP/1.0\r\n").matches());
        assertFalse(infer("HTTP/2 200\r\n").matches());
        assertFalse(infer("HTTP/1.1 abc\r\n").matches());
        assertFalse(infer("HTTP/1.1 099 Nope\r\n").matches());
        assertFalse(infer("HTTP/1.1 2000\r\n").matches());
        assertFalse(infer("get / HTTP/1.1\r\n").matches(), "methods are case-sensitive");
        assertFalse(infer("GET  / HTTP/1.1\r\n").matches());
        assertFalse(infer("GET /\r\n").matches(), "HTTP/0.9");
        assertFalse(infer("GETTER / HTTP/1.1\r\n").matches());
        assertFalse(infer("*3\r\n$3\r\nSET\r\n").matches(), "Redis");
        assertFalse(infer("").matches());
        assertFalse(protocol.infer(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)),
                Transport.UDP, 1, 2).matches());
        assertFalse(protocol.infer(null, Transport.TCP, 1, 2).matches());
    }

    @Test
    void honoursThePositionOfTheBuffer() {
        ByteBuffer b = ByteBuffer.wrap("xxxxGET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)).position(4);
        assertEquals(Origin.CLIENT, protocol.infer(b.slice().asReadOnlyBuffer(), Transport.TCP, 1, 2).sender());
        assertTrue(protocol.infer(b, Transport.TCP, 1, 2).confidence() >= 0.9);
    }

    @Test
    void randomBytesNeverThrowAndRarelyMatch() {
        Random random = new Random(1);
        int matches = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (protocol.infer(ByteBuffer.wrap(bytes), Transport.TCP, 1, 2).matches()) {
                matches++;
            }
        }
        assertEquals(0, matches);
    }
}
