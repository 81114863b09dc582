package org.deeptrace.protocol.fastcgi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class FcgiInferenceTest {
    private final FcgiProtocol fcgi = new FcgiProtocol();

    private Inference infer(byte[] b) {
        return fcgi.infer(ByteBuffer.wrap(b), Transport.TCP, 40000, 19000);
    }

    @Test
    void beginRequestIsCertainOtherRecordsLessSo() {
        assertEquals(Inference.of(0.95, Origin.CLIENT), infer(FcgiBytes.get(1, "/a.php")));
        assertEquals(Inference.of(0.6, Origin.SERVER), infer(FcgiBytes.ok(1, "200 OK")));
        assertEquals(Inference.of(0.6, Origin.SERVER), infer(FcgiBytes.of().end(1, 0, 0).build()));
        assertEquals(Inference.of(0.5, Origin.CLIENT), infer(FcgiBytes.of().stdin(1, "x").build()));
        assertEquals(0.65, fcgi.infer(ByteBuffer.wrap(FcgiBytes.ok(1, null)), Transport.TCP, 9000, 40000)
                .confidence(), 1e-9);
        assertFalse(fcgi.infer(ByteBuffer.wrap(FcgiBytes.get(1, "/")), Transport.UDP, 1, 2).matches());
    }

    @Test
    void otherProtocolsAreRefused() {
        String[] lookAlikes = {
            "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a", // HTTP/2 preface
            "16030100f4010000f00303aabbccdd", // TLS ClientHello
            "2a330d0a24330d0a5345540d0a", // Redis
            "001d12340100000100000000000003777777", // DNS over TCP
            "4a0000000a382e302e33360008000000", // MySQL server greeting
            "0101000100090000000101000000000000", // BEGIN_REQUEST with a wrong length
            "0101000100080000000901000000000000", // an unknown role
            "0101000000080000000101000000000000", // request id 0
            "0106000100050000ff00fe0102", // STDOUT that is not text
            "80010001000000047069", // Thrift
            "0101000100", // too short
        };
        for (String hex : lookAlikes) {
            assertFalse(infer(HexFormat.of().parseHex(hex)).matches(), hex);
        }
        assertFalse(infer("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).matches());
    }
}
