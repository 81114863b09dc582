package org.deeptrace.protocol.tls.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Splits both directions of a TLS connection into records by their 5-byte headers. Plaintext handshake and
 * alert records are read (their bodies kept, at most one record's worth); every other body is skipped unread.
 * A direction's handshake and alert records are encrypted once it has sent ChangeCipherSpec.
 *
 * <p>One {@code session} message per plaintext handshake record that starts a handshake message (named after
 * the first one), and one per alert. Gaps inside a record keep the framing; a gap between records loses it, and
 * parsing resumes at a chunk that starts with a plausible record header.
 */
final class TlsConnectionParser implements ConnectionParser {
    private final Map<Origin, Direction> directions = new EnumMap<>(Origin.class);
    /** The version the server chose, once its ServerHello was seen. */
    private int negotiated = -1;

    TlsConnectionParser() {
        for (Origin o : Origin.values()) {
            directions.put(o, new Direction(o));
        }
    }

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        directions.get(origin).data(offset, chunk.duplicate(), out);
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        directions.get(origin).gap(offset, length, out);
    }

    /** Record framing and handshake state of one direction. */
    private final class Direction {
        private final Origin origin;
        private final byte[] header = new byte[TlsRecords.HEADER];
        private byte[] body = new byte[512];
        private int headerFill;
        private int type;
        private int recordVersion;
        private int length;
        private long recordStart;
        private int remaining;
        private boolean keepBody;
        private int bodyFill;
        private boolean damaged;
        private boolean inSync = true;
        private boolean encrypted;
        /** Bytes of a handshake message begun in an earlier record that the next handshake record continues. */
        private long handshakeCarry;

        Direction(Origin origin) {
            this.origin = origin;
        }

        void data(long offset, ByteBuffer chunk, MessageSink out) {
            long pos = offset;
            if (!inSync) {
                if (chunk.remaining() < TlsRecords.HEADER || !plausibleAt(chunk)) {
                    return;
                }
                inSync = true;
                headerFill = 0;
                handshakeCarry = 0;
            }
            while (chunk.hasRemaining()) {
                if (headerFill < TlsRecords.HEADER) {
                    if (headerFill == 0) {
                        recordStart = pos;
                    }
                    header[headerFill++] = chunk.get();
                    pos++;
                    if (headerFill == TlsRecords.HEADER && !startRecord(out)) {
                        return;
                    }
                    continue;
                }
                int n = Math.min(remaining, chunk.remaining());
                if (keepBody) {
                    chunk.get(body, bodyFill, n);
                    bodyFill += n;
                } else {
                    chunk.position(chunk.position() + n);
                }
                remaining -= n;
                pos += n;
                if (remaining == 0) {
                    complete(out);
                }
            }
        }

        void gap(long offset, long gapLength, MessageSink out) {
            if (!inSync) {
                return;
            }
            if (gapLength < 0 || headerFill < TlsRecords.HEADER) {
                if (gapLength >= 0 && headerFill == 0) {
                    out.lost(origin, offset, offset + gapLength);
                }
                inSync = false;
                return;
            }
            damaged = true;
            if (gapLength <= remaining) {
                remaining -= (int) gapLength;
                if (remaining == 0) {
                    complete(out);
                }
                return;
            }
            long beyond = gapLength - remaining;
            remaining = 0;
            complete(out);
            out.lost(origin, offset + gapLength - beyond, offset + gapLength);
            inSync = false;
        }

        private boolean startRecord(MessageSink out) {
            if (!TlsRecords.plausibleHeader(header, 0)) {
                out.malformed(origin, "bad record header");
                inSync = false;
                return false;
            }
            type = header[0] & 0xff;
            recordVersion = ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            remaining = length;
            damaged = false;
            bodyFill = 0;
            keepBody = !encrypted && (type == TlsRecords.HANDSHAKE || type == TlsRecords.ALERT);
            if (keepBody && body.length < length) {
                body = new byte[length];
            }
            return true;
        }

        private void complete(MessageSink out) {
            headerFill = 0;
            long end = recordStart + TlsRecords.HEADER + length;
            switch (type) {
                case TlsRecords.CHANGE_CIPHER_SPEC -> encrypted = true;
                case TlsRecords.HANDSHAKE -> {
                    if (!encrypted && !damaged) {
                        ParsedMessage m = handshake();
                        if (m != null) {
                            out.message(origin, m, recordStart, end);
                        }
                    }
                }
                case TlsRecords.ALERT -> out.message(origin, alert(), recordStart, end);
                default -> {
                    // Application data and heartbeats: their bodies were skipped.
                }
            }
        }

        /** The session message of a plaintext handshake record, or null when it only continues a message. */
        private ParsedMessage handshake() {
            int pos = (int) Math.min(handshakeCarry, bodyFill);
            handshakeCarry -= pos;
            String first = null;
            Hello hello = null;
            boolean client = false;
            while (pos + 4 <= bodyFill) {
                int hsType = body[pos] & 0xff;
                int hsLength = ((body[pos + 1] & 0xff) << 16) | ((body[pos + 2] & 0xff) << 8) | (body[pos + 3] & 0xff);
                int bodyEnd = pos + 4 + hsLength;
                if (first == null) {
                    first = TlsNames.handshake(hsType);
                    if (hsType == 1 || hsType == 2) {
                        client = hsType == 1;
                        hello = Hello.parse(body, pos + 4, Math.min(bodyEnd, bodyFill), client);
                    }
                }
                if (bodyEnd > bodyFill) {
                    handshakeCarry = bodyEnd - bodyFill;
                    break;
                }
                pos = bodyEnd;
            }
            if (first == null) {
                return null;
            }
            ParsedMessage.Builder b = ParsedMessage.builder(TlsProtocol.PROTOCOL, MessageType.SESSION,
                    TlsRecords.HEADER + length);
            if (hello != null) {
                if (!client) {
                    if (hello.helloRetryRequest) {
                        first = "HelloRetryRequest";
                    }
                    negotiated = hello.version;
                    if (hello.cipherSuite >= 0) {
                        b.endpoint(TlsNames.cipherSuite(hello.cipherSuite));
                    }
                }
                if (hello.version >= 0) {
                    b.version(TlsNames.version(hello.version));
                }
                b.requestDomain(hello.serverName);
                if (!hello.alpn.isEmpty()) {
                    b.requestResource(String.join(",", hello.alpn));
                }
            } else {
                b.version(TlsNames.version(negotiated >= 0 ? negotiated : recordVersion));
            }
            return b.requestType(first).build();
        }

        private ParsedMessage alert() {
            ParsedMessage.Builder b = ParsedMessage.builder(TlsProtocol.PROTOCOL, MessageType.SESSION,
                    TlsRecords.HEADER + length)
                    .requestType("Alert")
                    .version(TlsNames.version(negotiated >= 0 ? negotiated : recordVersion));
            if (!encrypted && !damaged && bodyFill >= 2) {
                int level = body[0] & 0xff;
                int description = body[1] & 0xff;
                b.responseCode(description).responseException(TlsNames.alert(description));
                boolean benign = description == 0 || description == 90; // close_notify, user_canceled
                b.responseStatus(benign ? ResponseStatus.OK : ResponseStatus.ERROR);
                if (level != 1 && level != 2) {
                    b.responseStatus(ResponseStatus.ERROR);
                }
            }
            return b.build();
        }

        private static boolean plausibleAt(ByteBuffer chunk) {
            byte[] h = new byte[TlsRecords.HEADER];
            chunk.duplicate().get(h);
            return TlsRecords.plausibleHeader(h, 0);
        }
    }
}
