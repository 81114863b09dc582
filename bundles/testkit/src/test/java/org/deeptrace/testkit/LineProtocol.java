package org.deeptrace.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;

/**
 * A toy protocol for testing the harness: every line ending in LF is a message; clients send lines starting
 * with {@code REQ}, servers lines starting with {@code RES}. The line's text is put in {@code request_resource}.
 * A gap drops the line in progress and reports it as malformed.
 */
class LineProtocol implements ProtocolParser {

    @Override
    public String protocol() {
        return "LINE";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP);
    }

    @Override
    public Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
        byte[] head = new byte[Math.min(3, firstBytes.remaining())];
        firstBytes.duplicate().get(head);
        String s = new String(head, StandardCharsets.US_ASCII);
        return s.equals("REQ") ? Inference.of(0.9, Origin.CLIENT)
                : s.equals("RES") ? Inference.of(0.9, Origin.SERVER) : Inference.NO;
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new LineParser();
    }

    static class LineParser implements ConnectionParser {
        private final Map<Origin, ByteArrayOutputStream> lines = new EnumMap<>(Origin.class);
        private final Map<Origin, Long> starts = new EnumMap<>(Origin.class);

        @Override
        public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
            ByteArrayOutputStream line = lines.computeIfAbsent(origin, o -> new ByteArrayOutputStream());
            for (int i = chunk.position(); i < chunk.limit(); i++) {
                if (line.size() == 0) {
                    starts.put(origin, offset + i - chunk.position());
                }
                byte b = chunk.get(i);
                line.write(b);
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.US_ASCII).trim();
                    MessageType type = origin == Origin.CLIENT ? MessageType.REQUEST : MessageType.RESPONSE;
                    out.message(origin, ParsedMessage.builder("LINE", type, line.size()).requestResource(text).build(),
                            starts.get(origin), offset + i - chunk.position() + 1);
                    line.reset();
                }
            }
        }

        @Override
        public void onGap(Origin origin, long offset, long length, MessageSink out) {
            ByteArrayOutputStream line = lines.get(origin);
            if (line != null && line.size() > 0) {
                line.reset();
                out.malformed(origin, "gap in line");
            }
        }
    }
}
