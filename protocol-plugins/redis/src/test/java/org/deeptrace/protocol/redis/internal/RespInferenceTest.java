package org.deeptrace.protocol.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class RespInferenceTest {
    private static Inference infer(String first, int dstPort) {
        return new RedisProtocol().infer(ByteBuffer.wrap(first.getBytes(StandardCharsets.ISO_8859_1)),
                Transport.TCP, 40000, dstPort);
    }

    @Test
    void commandArrayIsNearlyCertain() {
        Inference i = infer(RespParserTest.cmd("GET", "k"), 16379);
        assertEquals(0.9, i.confidence());
        assertEquals(Origin.CLIENT, i.sender());
        assertTrue(infer(RespParserTest.cmd("GET", "k"), 6379).confidence() > 0.9);
    }

    @Test
    void repliesArePlausibleFromTheServer() {
        for (String reply : new String[] {"+OK\r\n", "-ERR unknown\r\n", ":12\r\n", "$5\r\nhello\r\n", "$-1\r\n"}) {
            Inference i = infer(reply, 16379);
            assertTrue(i.confidence() > 0 && i.confidence() < 0.9, reply);
            assertEquals(Origin.SERVER, i.sender(), reply);
        }
    }

    @Test
    void inlineCommandsAreClaimedButNeverHttp() {
        assertEquals(Origin.CLIENT, infer("PING\r\n", 16379).sender());
        assertTrue(infer("SET a b\r\n", 16379).matches());
        assertEquals(Inference.NO, infer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 6379));
        assertEquals(Inference.NO, infer("POST /x HTTP/1.1\r\n\r\n", 6379));
        assertEquals(Inference.NO, infer("HTTP/1.1 200 OK\r\n\r\n", 6379));
        assertEquals(Inference.NO, infer("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003", 6379));
        assertEquals(Inference.NO, infer("*", 6379));
        assertEquals(Inference.NO, infer("-lower case\r\n", 6379));
        assertEquals(Inference.NO, new RedisProtocol().infer(ByteBuffer.wrap("+OK\r\n".getBytes()), Transport.UDP,
                1, 6379));
    }
}
