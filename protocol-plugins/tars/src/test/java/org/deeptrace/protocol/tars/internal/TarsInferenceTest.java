package org.deeptrace.protocol.tars.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class TarsInferenceTest {
    private final TarsProtocol protocol = new TarsProtocol();

    private Inference infer(byte[] bytes) {
        return protocol.infer(ByteBuffer.wrap(bytes), Transport.TCP, 40000, 10000);
    }

    @Test
    void requestsAndResponses() {
        Inference req = infer(Jce.request(1, "A.B.C", "m", 3, Map.of()));
        assertEquals(Origin.CLIENT, req.sender());
        assertTrue(req.confidence() >= 0.9);
        Inference resp = infer(Jce.response(1, 0, null, 3));
        assertEquals(Origin.SERVER, resp.sender());
        assertTrue(resp.confidence() >= 0.9);
        byte[] big = Jce.request(1, "A.B.C", "m", 100_000, Map.of());
        assertTrue(infer(java.util.Arrays.copyOf(big, 1500)).confidence() >= 0.9, "only the first segment");
        assertFalse(protocol.infer(ByteBuffer.wrap(Jce.request(1, "A.B.C", "m", 3, Map.of())), Transport.UDP, 1, 2)
                .matches());
    }

    @Test
    void lookAlikesAreRefused() {
        HexFormat hex = HexFormat.of();
        String[] others = {
            "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a", // HTTP/2 preface
            "16030100c8010000c40303", // TLS ClientHello
            "2a310d0a24340d0a50494e470d0a", // Redis *1 $4 PING
            "001c12340100000100000000000003777777036f7267", // DNS over TCP (2-byte length)
            "0000001d80010001000000036164640000000108000100000001", // framed Thrift binary, strict
            "0000001d0000000361646401000000010800010000000100", // framed Thrift binary, old non-strict
            "0000001482210103616464", // framed Thrift compact
            "dabbc20000000000000000010000004d", // Dubbo request
            "5052504300000020000000100a0e0a01731201", // bRPC baidu_std
            "1234000100000010abcd000101010000", // SOME/IP request
            "ffff81000000001c0000000101010200", // SOME/IP-SD
            "0000002010052c3c4001", // Tars-like start with version 5
        };
        for (String h : others) {
            assertFalse(infer(hex.parseHex(h)).matches(), h);
        }
        assertFalse(infer("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)).matches());
        assertFalse(infer(new byte[0]).matches());
    }
}
