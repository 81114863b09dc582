package org.deeptrace.protocol.http2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class Http2InferenceTest {
    private final Http2Protocol protocol = new Http2Protocol();

    private Inference infer(byte[] b) {
        return protocol.infer(ByteBuffer.wrap(b), Transport.TCP, 40000, 8080);
    }

    @Test
    void prefaceIsAClient() {
        assertEquals(Inference.of(0.95, Origin.CLIENT), infer(Frames.client().bytes()));
        assertEquals(Origin.CLIENT, infer("PRI * HT".getBytes()).sender());
    }

    @Test
    void settingsFirstIsAServerWithLowerConfidence() {
        Inference i = infer(Frames.server().bytes());
        assertEquals(Origin.SERVER, i.sender());
        assertEquals(0.6, i.confidence());
    }

    @Test
    void otherBytesAreNotHttp2() {
        assertFalse(infer("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()).matches());
        assertFalse(infer("PRX".getBytes()).matches());
        assertFalse(infer(new byte[] {0, 0, 7, 4, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7}).matches());
        assertFalse(protocol.infer(ByteBuffer.wrap(Frames.client().bytes()), Transport.UDP, 1, 2).matches());
    }
}
