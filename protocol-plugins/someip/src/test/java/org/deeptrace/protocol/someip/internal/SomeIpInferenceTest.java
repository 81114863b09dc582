package org.deeptrace.protocol.someip.internal;

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

class SomeIpInferenceTest {
    private final SomeIpProtocol protocol = new SomeIpProtocol();

    private Inference infer(byte[] bytes, Transport l4) {
        return protocol.infer(ByteBuffer.wrap(bytes), l4, 40000, 12000);
    }

    @Test
    void requestsResponsesAndServiceDiscovery() {
        Inference req = infer(Msg.request(1, 1, 4), Transport.UDP);
        assertEquals(Origin.CLIENT, req.sender());
        assertTrue(req.confidence() >= 0.8);
        assertEquals(Origin.SERVER, infer(Msg.concat(Msg.response(1, 1, 0, 2), Msg.response(2, 2, 0, 0)),
                Transport.UDP).sender());
        assertTrue(infer(java.util.Arrays.copyOf(Msg.request(1, 1, 400), 100), Transport.TCP).confidence() <= 0.5,
                "a message that does not end in the first bytes is only plausible");
        assertFalse(infer(java.util.Arrays.copyOf(Msg.request(1, 1, 400), 100), Transport.UDP).matches(),
                "a datagram holds whole messages");
        byte[] sd = Msg.of(0xFFFF, 0x8100, 0, 1, 0x02, 0, 28);
        Inference onPort = protocol.infer(ByteBuffer.wrap(sd), Transport.UDP, 30490, 30490);
        assertTrue(onPort.confidence() >= 0.9);
    }

    @Test
    void lookAlikesAreRefused() {
        HexFormat hex = HexFormat.of();
        String[] others = {
            "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a", // HTTP/2 preface
            "16030100c8010000c403030000000000", // TLS ClientHello
            "2a310d0a24340d0a50494e470d0a0d0a", // Redis
            "1234010000010000000000000161076578616d706c6503636f6d0000010001", // DNS query for a.example.com
            "0000001d80010001000000036164640000000108", // framed Thrift
            "dabbc20000000000000000010000004d", // Dubbo
            "5052504300000020000000100a0e0a01731201", // bRPC
            "0000003d10012c3c4001561c546573744170702e48656c6c6f", // Tars
        };
        for (String h : others) {
            assertFalse(infer(hex.parseHex(h), Transport.TCP).matches(), h);
            assertFalse(infer(hex.parseHex(h), Transport.UDP).matches(), h);
        }
        assertFalse(infer("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Transport.TCP)
                .matches());
    }
}
