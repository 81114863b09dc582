package org.deeptrace.protocol.brpc.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/** Recognises a baidu_std header and tells a request from a response by the first field of the meta. */
final class BrpcInference {
    /** Protobuf tag of {@code RpcMeta.request} (field 1, length-delimited). */
    static final int TAG_REQUEST = 0x0A;
    /** Protobuf tag of {@code RpcMeta.response} (field 2, length-delimited). */
    static final int TAG_RESPONSE = 0x12;

    private BrpcInference() {
    }

    static Inference infer(ByteBuffer bytes) {
        int p = bytes.position();
        if (bytes.remaining() < 4 || !BrpcHeader.isMagic(bytes, p)) {
            return Inference.NO;
        }
        if (bytes.remaining() < BrpcHeader.SIZE) {
            return Inference.of(0.6, Origin.CLIENT);
        }
        long bodySize = BrpcHeader.uint32(bytes, p + 4);
        long metaSize = BrpcHeader.uint32(bytes, p + 8);
        if (!BrpcHeader.plausible(bodySize, metaSize)) {
            return Inference.NO;
        }
        if (bytes.remaining() == BrpcHeader.SIZE) {
            return Inference.of(0.8, Origin.CLIENT);
        }
        int firstMetaByte = bytes.get(p + BrpcHeader.SIZE) & 0xFF;
        if (firstMetaByte == TAG_REQUEST) {
            return Inference.of(0.95, Origin.CLIENT);
        }
        if (firstMetaByte == TAG_RESPONSE) {
            return Inference.of(0.95, Origin.SERVER);
        }
        // a meta that starts with another field (compress type, correlation id): still baidu_std framing
        return Inference.of(0.8, Origin.CLIENT);
    }
}
