package org.deeptrace.protocol.brpc.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.support.parser.TcpProtocol;
import org.osgi.service.component.annotations.Component;

/**
 * bRPC's baidu_std protocol over TCP: a 12-byte header ({@code PRPC}, body size, meta size), a protobuf
 * {@code RpcMeta}, then payload and attachment, which are skipped by length. See the plugin's README.
 */
@Component(service = ProtocolParser.class)
public final class BrpcProtocol extends TcpProtocol {
    static final String PROTOCOL = "bRPC";

    public BrpcProtocol() {
        super(PROTOCOL);
    }

    @Override
    protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) {
        return BrpcInference.infer(firstBytes);
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new BrpcParser();
    }
}
