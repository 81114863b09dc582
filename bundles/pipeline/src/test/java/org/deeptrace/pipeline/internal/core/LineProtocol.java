package org.deeptrace.pipeline.internal.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
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

/**
 * A minimal line protocol for pipeline tests: requests {@code REQ <name>\n}, responses {@code RES <code>\n};
 * {@code BOOM} makes the parser throw. Resynchronises at chunk starts after a gap.
 */
final class LineProtocol implements ProtocolParser {

    @Override
    public String protocol() {
        return "LINE";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP, Transport.UDP);
    }

    @Override
    public Inference infer(ByteBuffer b, Transport l4, int srcPort, int dstPort) {
        if (b.remaining() < 4) {
            return Inference.NO;
        }
        String head = StandardCharsets.US_ASCII.decode(b.slice(b.position(), 4)).toString();
        return switch (head) {
            case "REQ " -> Inference.of(0.9, Origin.CLIENT);
            case "RES " -> Inference.of(0.9, Origin.SERVER);
            default -> Inference.NO;
        };
    }

    @Override
    public ConnectionParser open(ConnectionInfo connection) {
        return new ConnectionParser() {
            final Map<Origin, ByteArrayOutputStream> partial = new EnumMap<>(Origin.class);
            final Map<Origin, Long> start = new EnumMap<>(Origin.class);
            final Map<Origin, Boolean> lostSync = new EnumMap<>(Origin.class);

            @Override
            public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                if (Boolean.TRUE.equals(lostSync.get(origin))) {
                    if (infer(chunk.duplicate(), Transport.TCP, 0, 0).matches()) {
                        lostSync.put(origin, false);
                    } else {
                        return;
                    }
                }
                ByteArrayOutputStream line = partial.computeIfAbsent(origin, o -> new ByteArrayOutputStream());
                long pos = offset;
                while (chunk.hasRemaining()) {
                    if (line.size() == 0) {
                        start.put(origin, pos);
                    }
                    byte b = chunk.get();
                    pos++;
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    String text = line.toString(StandardCharsets.US_ASCII);
                    line.reset();
                    long s = start.get(origin);
                    if (text.equals("BOOM")) {
                        throw new IllegalStateException("boom");
                    } else if (text.startsWith("REQ ")) {
                        out.message(origin, ParsedMessage.builder("LINE", MessageType.REQUEST, pos - s)
                                .endpoint(text.substring(4)).requestType("REQ").build(), s, pos);
                    } else if (text.startsWith("RES ")) {
                        int code = Integer.parseInt(text.substring(4).trim());
                        out.message(origin, ParsedMessage.builder("LINE", MessageType.RESPONSE, pos - s)
                                .responseCode(code)
                                .responseStatus(code < 400 ? ResponseStatus.OK : ResponseStatus.SERVER_ERROR).build(), s, pos);
                    } else {
                        out.malformed(origin, "bad line");
                    }
                }
            }

            @Override
            public void onGap(Origin origin, long offset, long length, MessageSink out) {
                ByteArrayOutputStream line = partial.get(origin);
                if (line != null && line.size() > 0) {
                    line.reset();
                    lostSync.put(origin, true);
                } else {
                    out.lost(origin, offset, offset + length);
                }
            }
        };
    }
}
