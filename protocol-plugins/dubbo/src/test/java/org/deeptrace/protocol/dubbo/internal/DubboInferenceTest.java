package org.deeptrace.protocol.dubbo.internal;

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

class DubboInferenceTest {
    private final DubboProtocol dubbo = new DubboProtocol();

    private Inference infer(byte[] b) {
        return dubbo.infer(ByteBuffer.wrap(b), Transport.TCP, 40000, 20880);
    }

    @Test
    void requestsComeFromTheClientResponsesFromTheServer() {
        Inference req = infer(DubboFrames.request(1, "s", "1", "m"));
        assertTrue(req.confidence() >= 0.9);
        assertEquals(Origin.CLIENT, req.sender());
        Inference resp = infer(DubboFrames.okResponse(1));
        assertTrue(resp.confidence() >= 0.9);
        assertEquals(Origin.SERVER, resp.sender());
        assertEquals(Origin.CLIENT, infer(DubboFrames.heartbeatRequest(1)).sender());
        assertEquals(Origin.SERVER, dubbo.infer(ByteBuffer.wrap(DubboFrames.heartbeatRequest(1)), Transport.TCP,
                20880, 40000).sender(), "a provider's heartbeat");
        assertTrue(infer(java.util.Arrays.copyOf(DubboFrames.request(1, "s", "1", "m"), 6)).confidence() < 0.9);
    }

    @Test
    void lookAlikesAreRefused() {
        HexFormat hex = HexFormat.of();
        byte[][] others = {
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            hex.parseHex("16030100f4010000f00303"), // TLS ClientHello
            "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII), // Redis
            hex.parseHex("0000001c80010001000000046563686f00000001"), // framed Thrift binary call
            hex.parseHex("001d12340100000100000000000003777777076578616d706c6503636f6d0000010001"), // DNS/TCP
            hex.parseHex("0101000101000000010100000bb8002c0000000000a0"), // Bolt request
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            hex.parseHex("dabb"), // too short to tell
            hex.parseHex("dabbc2140000000000000001000000ff"), // request with a status
            hex.parseHex("dabb4214000000000000000100000010"), // two-way response
            hex.parseHex("dabb0211000000000000000100000010"), // undefined status 17
            hex.parseHex("dabbc2007fffffff0000000170000000"), // body beyond 1 GiB
        };
        for (byte[] b : others) {
            assertFalse(infer(b).matches(), hex.formatHex(b));
        }
        assertFalse(dubbo.infer(ByteBuffer.wrap(DubboFrames.request(1, "s", "1", "m")), Transport.UDP, 1, 2)
                .matches());
    }
}
