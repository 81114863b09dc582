package org.deeptrace.protocol.brpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class BrpcInferenceTest {
    private final BrpcProtocol protocol = new BrpcProtocol();

    private Inference infer(byte[] bytes) {
        return protocol.infer(ByteBuffer.wrap(bytes), Transport.TCP, 40000, 8000);
    }

    @Test
    void requestsAndResponses() {
        Inference req = infer(Frames.request(1, "s", "m", 3));
        assertEquals(Origin.CLIENT, req.sender());
        assertTrue(req.confidence() >= 0.9);
        Inference resp = infer(Frames.response(1, 0, null, 3));
        assertEquals(Origin.SERVER, resp.sender());
        assertTrue(resp.confidence() >= 0.9);
        assertTrue(infer("PRPC".getBytes(StandardCharsets.US_ASCII)).confidence() < 0.9);
        assertFalse(protocol.infer(ByteBuffer.wrap(Frames.request(1, "s", "m", 3)), Transport.UDP, 1, 2).matches());
    }

    @Test
    void lookAlikesAreRefused() {
        HexFormat hex = HexFormat.of();
        String[] others = {
            "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a", // HTTP/2 preface
            "16030100c8010000c40303", // TLS ClientHello
            "2a310d0a24340d0a50494e470d0a", // Redis *1 $4 PING
            "12340100000100000000000003777777", // DNS query
            "0000001d80010001000000036164640000000108", // framed Thrift binary call
            "dabbc20000000000000000010000004d", // Dubbo request
            "0000003d100129000c00010002000300", // Tars request: length, tag 1 short, ...
            "1234000100000010abcd000101010000", // SOME/IP request
            "5052504300000004000000090a", // PRPC with meta size > body size
        };
        for (String h : others) {
            assertFalse(infer(hex.parseHex(h)).matches(), h);
        }
        assertFalse(infer("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)).matches());
        assertFalse(infer(new byte[0]).matches());
    }
}
