package org.deeptrace.itest.protocol;

import java.nio.ByteBuffer;
import java.util.Set;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.osgi.service.component.annotations.Component;

/**
 * A toy protocol for the hot-deploy test, written as a third party would: one chunk is one message,
 * {@code PING} asks and {@code PONG} answers.
 */
@Component(service = ProtocolParser.class)
public final class PingProtocol implements ProtocolParser {

    @Override
    public String protocol() {
        return "PING";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP);
    }

    @Override
    public Inference infer(ByteBuffer b, Transport l4, int srcPort, int dstPort) {
        if (b.remaining() < 4 || b.get(b.position() + 1) != 'I' && b.get(b.position() + 1) != 'O') {
            return Inference.NO;
        }
        String word = "" + (char) b.get(b.position()) + (char) b.get(b.position() + 1) + (char) b.get(b.position() + 2)
                + (char) b.get(b.position() + 3);
        return switch (word) {
            case "PING" -> Inference.of(0.95, Origin.CLIENT);
            case "PONG" -> Inference.of(0.95, Origin.SERVER);
            default -> Inference.NO;
        };
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new ConnectionParser() {
            @Override
            public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                int n = chunk.remaining();
                MessageType type = origin == Origin.CLIENT ? MessageType.REQUEST : MessageType.RESPONSE;
                ParsedMessage.Builder m = ParsedMessage.builder("PING", type, n).endpoint("ping");
                if (type == MessageType.RESPONSE) {
                    m.responseStatus(ResponseStatus.OK);
                }
                out.message(origin, m.build(), offset, offset + n);
            }

            @Override
            public void onGap(Origin origin, long offset, long length, MessageSink out) {
                // every chunk is a whole message: nothing to resynchronise
            }
        };
    }
}
