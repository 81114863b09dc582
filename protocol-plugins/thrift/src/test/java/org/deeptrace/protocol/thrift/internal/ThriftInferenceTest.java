package org.deeptrace.protocol.thrift.internal;

import static org.deeptrace.protocol.thrift.internal.ThriftBytes.CALL;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.EXCEPTION;
import static org.deeptrace.protocol.thrift.internal.ThriftBytes.REPLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class ThriftInferenceTest {
    private final ThriftProtocol thrift = new ThriftProtocol();

    private Inference infer(byte[] b) {
        return thrift.infer(ByteBuffer.wrap(b), Transport.TCP, 40000, 7000);
    }

    @Test
    void everyEncodingAndTransportIsRecognisedWithItsSender() {
        byte[] body = {0};
        assertEquals(Inference.of(0.9, Origin.CLIENT), infer(ThriftBytes.strict(CALL, "ping", 1, body)));
        assertEquals(Inference.of(0.9, Origin.CLIENT), infer(ThriftBytes.framed(ThriftBytes.strict(CALL, "ping", 1, body))));
        assertEquals(Inference.of(0.9, Origin.SERVER), infer(ThriftBytes.strict(REPLY, "ping", 1, body)));
        assertEquals(Inference.of(0.85, Origin.CLIENT), infer(ThriftBytes.compact(CALL, "ping", 1, body)));
        assertEquals(Inference.of(0.85, Origin.SERVER),
                infer(ThriftBytes.framed(ThriftBytes.compact(EXCEPTION, "ping", 1, body))));
        assertEquals(Inference.of(0.7, Origin.CLIENT), infer(ThriftBytes.old(CALL, "ping", 1, body)));
        assertEquals(0.95, thrift.infer(ByteBuffer.wrap(ThriftBytes.strict(CALL, "ping", 1, body)), Transport.TCP,
                40000, 9090).confidence(), 1e-9);
        assertFalse(thrift.infer(ByteBuffer.wrap(ThriftBytes.strict(CALL, "ping", 1, body)), Transport.UDP, 1, 2)
                .matches());
    }

    @Test
    void theaderAndJsonAreRecognisedWithTheirSender() {
        byte[] body = {0};
        assertEquals(Inference.of(0.9, Origin.CLIENT),
                infer(ThriftBytes.theader(0, 1, new int[0], ThriftBytes.strict(CALL, "ping", 1, body), "k", "v")));
        assertEquals(Inference.of(0.85, Origin.SERVER),
                infer(ThriftBytes.theader(2, 1, new int[0], ThriftBytes.compact(REPLY, "ping", 1, body))));
        assertEquals(Inference.of(0.9, Origin.SERVER), infer(ThriftBytes.theader(0, 1, new int[] {1},
                ThriftBytes.zlib(ThriftBytes.strict(EXCEPTION, "ping", 1, body)))), "zlib payload inflated");
        assertEquals(Inference.of(0.8, Origin.CLIENT), infer(ThriftBytes.theader(0, 1, new int[] {3},
                new byte[] {1, 2, 3})), "snappy: only the frame is checked");
        assertEquals(Inference.of(0.8, Origin.CLIENT), infer(ThriftBytes.json(CALL, "ping", 0, "{}")));
        assertEquals(Inference.of(0.8, Origin.SERVER),
                infer(ThriftBytes.framed(ThriftBytes.json(REPLY, "ping", 0, "{}"))));
    }

    @Test
    void theaderAndJsonLookAlikesAreRefused() {
        String[] lookAlikes = {
            "000000100fff0000000000010000", // THeader cut before its header block: not enough to tell
            "000000100fff00000000000100ff0000", // header block larger than the frame
            "000000140fff0000000000010500000080010001", // protocol id 5
            "000000140fff000000000001020000008001000100000000", // says compact, holds binary (and no name)
            "0000000e0fee00000000000100000000", // wrong magic
        };
        for (String hex : lookAlikes) {
            assertFalse(infer(HexFormat.of().parseHex(hex)).matches(), hex);
        }
        String[] text = {
            "[1,\"ping\",5,0,{}]", // type 5
            "[1,\"ping\",1,0", // cut short
            "[1, \"ping\", 1, 0, {}]", // whitespace: no Thrift writer emits it
            "[1,\"realm1\",{\"roles\":{}}]", // WAMP HELLO
            "[2,\"ping\",1,0,{}]", // JSON protocol version 2 does not exist
            "[1,\"a b\",1,0,{}]", // not an identifier
            "[1,\"ping\",1,007,{}]", // leading zeros
            "[1,\"ping\",1,99999999999,{}]", // seqid beyond int32
            "[\"GET\",\"/\"]",
            "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}",
        };
        for (String t : text) {
            assertFalse(infer(t.getBytes(StandardCharsets.US_ASCII)).matches(), t);
        }
    }

    @Test
    void otherBinaryProtocolsAreRefused() {
        String[] lookAlikes = {
            "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a000012040000000000", // HTTP/2 preface + SETTINGS
            "16030100f4010000f00303aabbccdd", // TLS ClientHello
            "2a330d0a24330d0a5345540d0a", // Redis *3 $3 SET
            "001d12340100000100000000000003777777076578616d706c6503636f6d0000010001", // DNS over TCP
            "4a0000000a382e302e33360008000000", // MySQL server greeting
            "0000005200030000757365720070677573657200", // PostgreSQL startup
            "0000000804d2162f", // PostgreSQL SSLRequest
            "0000002a0003000900000001000a636c69656e742d69", // Kafka request
            "0101000100080000000101000000000001040001", // FastCGI BEGIN_REQUEST
            "8001000100000000", // strict header with an empty name
            "80010001000000046e6f", // name cut short: not enough to tell
            "800100010000000470 696e0a".replace(" ", ""), // a control byte in the name
            "82ff", // compact with a bad version
        };
        for (String hex : lookAlikes) {
            assertFalse(infer(HexFormat.of().parseHex(hex)).matches(), hex);
        }
        assertFalse(infer("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).matches());
        assertFalse(infer("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII)).matches());
        assertFalse(infer(new byte[0]).matches());
        assertFalse(infer(new byte[300]).matches());
    }
}
