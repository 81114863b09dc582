package org.deeptrace.protocol.sofarpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class SofaRpcInferenceTest {
    private final SofaRpcProtocol sofa = new SofaRpcProtocol();

    private Inference infer(byte[] b) {
        return sofa.infer(ByteBuffer.wrap(b), Transport.TCP, 40000, 12200);
    }

    @Test
    void requestsHeartbeatsAndResponses() {
        Inference req = infer(BoltFrames.sofaRequest(1, "s:1.0", "m", null));
        assertTrue(req.confidence() >= 0.9);
        assertEquals(Origin.CLIENT, req.sender());
        Inference resp = infer(BoltFrames.okResponse(1));
        assertTrue(resp.confidence() >= 0.9);
        assertEquals(Origin.SERVER, resp.sender());
        Inference heartbeat = infer(BoltFrames.heartbeat(1));
        assertTrue(heartbeat.confidence() >= 0.5 && heartbeat.confidence() < 0.9);
        assertEquals(Origin.CLIENT, heartbeat.sender());
        assertFalse(infer(Arrays.copyOf(BoltFrames.heartbeat(1), 21)).matches(), "needs the whole fixed part");
    }

    @Test
    void lookAlikesAreRefused() {
        HexFormat hex = HexFormat.of();
        byte[][] others = {
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            hex.parseHex("16030100f4010000f00303fe0102030405060708090a0b0c0d0e"), // TLS ClientHello
            "*1\r\n$4\r\nPING\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII), // Redis
            hex.parseHex("0000001c80010001000000046563686f000000010b000100000005"), // framed Thrift binary
            hex.parseHex("010012340100000100000000000003777777076578616d706c6503636f6d0000010001"), // DNS/TCP
            hex.parseHex("0101000101000000010100000bb8002c00000000000a" + "00ff41"), // class name not ASCII
            hex.parseHex("dabbc2000000000000000001000000ff000000000000000000"), // Dubbo
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            hex.parseHex("0101000001000000020100000bb8000100000000000041"), // heartbeat with a class
            hex.parseHex("0100000201000000010100ff002e000000000000000000"), // undefined status
            hex.parseHex("0103000101000000010100000bb8002c0000000000"), // type 3
            hex.parseHex("0101000102000000010100000bb8002c0000000000"), // ver2 2
        };
        for (byte[] b : others) {
            assertFalse(infer(b).matches(), hex.formatHex(b));
        }
        assertFalse(sofa.infer(ByteBuffer.wrap(BoltFrames.okResponse(1)), Transport.UDP, 1, 2).matches());
    }
}
