package org.deeptrace.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
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
 * Drives one {@link ConnectionParser} the way the pipeline does, and records everything it reports.
 *
 * <pre>{@code
 * ParserHarness h = ParserHarness.open(new MyProtocol())
 *         .client("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
 *         .server(responseBytes)
 *         .close();
 * assertEquals("GET", h.requests().get(0).parsed().requestType());
 * assertTrue(h.malformed().isEmpty());
 * }</pre>
 *
 * <p>The harness keeps the stream offset of each origin: every chunk and every gap of known length advances it;
 * a gap of unknown length does not (nobody knows by how much it should). It also checks the parser the way
 * the pipeline relies on it:
 * <ul>
 *   <li>each chunk is a read-only buffer that does not start at index 0 of its storage, and its bytes are
 *       overwritten as soon as {@code onData} returns, so a parser that keeps a reference instead of copying
 *       produces wrong results;</li>
 *   <li>a reported message must have {@code start <= end}, must not end beyond the bytes fed so far, and must not
 *       start before the end of the previous message of the same origin (messages come in stream order);
 *       a violation fails the test at once with an {@link AssertionError}.</li>
 * </ul>
 * Exceptions thrown by the parser are not caught: a parser must not throw, and the test fails.
 */
public final class ParserHarness {

    /** A {@link MessageSink#message} call. */
    public record Message(Origin origin, ParsedMessage parsed, long start, long end) {
        public MessageType type() {
            return parsed.type();
        }
    }

    /** A {@link MessageSink#malformed} call. */
    public record Malformed(Origin origin, String reason) {
    }

    /** A {@link MessageSink#lost} call: whole messages went missing in a gap between two messages. */
    public record Lost(Origin origin, long start, long end) {
    }

    /** A loopback-looking TCP connection used when a test does not care about addresses. */
    public static final ConnectionInfo DEFAULT_CONNECTION =
            new ConnectionInfo(Transport.TCP, "10.0.0.1:40000", "10.0.0.2:8080", 1, "test");

    private static final byte SCRIBBLE = (byte) 0xA5;
    private static final int CHUNK_PADDING = 7;

    private final ConnectionInfo connection;
    private final ConnectionParser parser;
    private final Map<Origin, Long> offsets = new EnumMap<>(Origin.class);
    private final Map<Origin, Long> lastEnds = new EnumMap<>(Origin.class);
    private final Map<Origin, Set<Long>> starts = new EnumMap<>(Origin.class);
    private boolean interleaved;
    private final List<Message> messages = new ArrayList<>();
    private final List<Malformed> malformed = new ArrayList<>();
    private final List<Lost> lost = new ArrayList<>();
    private final MessageSink sink = new RecordingSink();
    private boolean closed;

    private ParserHarness(ProtocolParser protocol, ConnectionInfo connection) {
        this.connection = connection;
        this.parser = protocol.open(connection);
        if (parser == null) {
            throw new AssertionError(protocol.protocol() + ": open() returned null");
        }
        for (Origin o : Origin.values()) {
            offsets.put(o, 0L);
            lastEnds.put(o, 0L);
            starts.put(o, new HashSet<>());
        }
    }

    /** Opens a connection parser of {@code protocol} for {@link #DEFAULT_CONNECTION}. */
    public static ParserHarness open(ProtocolParser protocol) {
        return open(protocol, DEFAULT_CONNECTION);
    }

    /** Opens a connection parser of {@code protocol} for {@code connection}. */
    public static ParserHarness open(ProtocolParser protocol, ConnectionInfo connection) {
        return new ParserHarness(protocol, connection);
    }

    /**
     * Replays the records of one socket (see {@link CaptureRecords#bySocket}), deciding which end is the client
     * the way the pipeline does: by asking {@code protocol} to infer the first record that carries bytes.
     * The connection is not closed: call {@link #close()} to flush what waits for the end of the stream.
     *
     * @throws AssertionError when the parser does not recognise the first bytes, or the records mix sockets
     */
    public static ParserHarness replay(ProtocolParser protocol, List<CaptureRecord> socketRecords) {
        CaptureRecord first = socketRecords.stream().filter(r -> r.capturedSize() > 0).findFirst()
                .orElseThrow(() -> new AssertionError("no record carries any bytes"));
        String sender = first.direction() == Direction.EGRESS ? first.local() : first.remote();
        String receiver = first.direction() == Direction.EGRESS ? first.remote() : first.local();
        Inference verdict = protocol.infer(first.payload(), first.l4(), port(sender), port(receiver));
        if (!verdict.matches()) {
            throw new AssertionError(protocol.protocol() + " does not recognise the first bytes of "
                    + first.local() + " <-> " + first.remote());
        }
        boolean senderIsClient = verdict.sender() == Origin.CLIENT;
        ConnectionInfo info = new ConnectionInfo(first.l4(), senderIsClient ? sender : receiver,
                senderIsClient ? receiver : sender, first.tgid(), first.comm());
        return open(protocol, info).feedAll(socketRecords);
    }

    /**
     * For multiplexed protocols (HTTP/2 streams), whose messages of one origin overlap in the byte stream and
     * complete out of order: a message may then start before the end of an earlier one, but no two messages of
     * one origin may start at the same offset (that is one message reported twice). The other checks stay.
     */
    public ParserHarness interleaved() {
        interleaved = true;
        return this;
    }

    /** Feeds one chunk sent by the client, encoded as UTF-8. */
    public ParserHarness client(String text) {
        return feed(Origin.CLIENT, text);
    }

    /** Feeds one chunk sent by the server, encoded as UTF-8. */
    public ParserHarness server(String text) {
        return feed(Origin.SERVER, text);
    }

    /** Feeds one chunk sent by the client. */
    public ParserHarness client(byte[] bytes) {
        return feed(Origin.CLIENT, bytes);
    }

    /** Feeds one chunk sent by the server. */
    public ParserHarness server(byte[] bytes) {
        return feed(Origin.SERVER, bytes);
    }

    /** Feeds one chunk sent by {@code origin}, encoded as UTF-8. */
    public ParserHarness feed(Origin origin, String text) {
        return feed(origin, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds one chunk sent by {@code origin} at the origin's current offset. */
    public ParserHarness feed(Origin origin, byte[] bytes) {
        return feed(origin, bytes, 0, bytes.length);
    }

    /** Feeds {@code bytes[from, to)} as one chunk sent by {@code origin}. */
    public ParserHarness feed(Origin origin, byte[] bytes, int from, int to) {
        checkOpen();
        int length = to - from;
        // Padding before and after the bytes: a parser must honour position and limit, not assume index 0.
        byte[] storage = new byte[length + 2 * CHUNK_PADDING];
        Arrays.fill(storage, SCRIBBLE);
        System.arraycopy(bytes, from, storage, CHUNK_PADDING, length);
        ByteBuffer chunk = ByteBuffer.wrap(storage, CHUNK_PADDING, length).asReadOnlyBuffer();
        long offset = offsets.get(origin);
        offsets.put(origin, offset + length);
        parser.onData(origin, offset, chunk, sink);
        // The chunk is only valid during the call: whatever the parser kept by reference now reads garbage.
        Arrays.fill(storage, SCRIBBLE);
        return this;
    }

    /**
     * Feeds {@code bytes} as several chunks, cut before each of the given indexes (ascending, within the array):
     * {@code feedSplit(o, b, 3, 10)} feeds {@code b[0,3)}, {@code b[3,10)} and {@code b[10,end)}.
     */
    public ParserHarness feedSplit(Origin origin, byte[] bytes, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            if (cut < from || cut > bytes.length) {
                throw new IllegalArgumentException("cuts must be ascending and within the array: " + cut);
            }
            feed(origin, bytes, from, cut);
            from = cut;
        }
        return feed(origin, bytes, from, bytes.length);
    }

    /** Feeds {@code bytes} as chunks of {@code size} bytes (the last one may be shorter). */
    public ParserHarness feedInChunksOf(Origin origin, byte[] bytes, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        for (int from = 0; from < bytes.length; from += size) {
            feed(origin, bytes, from, Math.min(bytes.length, from + size));
        }
        return this;
    }

    /** Reports {@code length} bytes sent by {@code origin} that were not captured, and advances its offset. */
    public ParserHarness gap(Origin origin, long length) {
        checkOpen();
        if (length < 0) {
            throw new IllegalArgumentException("use unknownGap for a gap of unknown length");
        }
        long offset = offsets.get(origin);
        offsets.put(origin, offset + length);
        parser.onGap(origin, offset, length, sink);
        return this;
    }

    /** Reports that {@code origin}'s stream lost an unknown number of bytes; its offset stays where it was. */
    public ParserHarness unknownGap(Origin origin) {
        checkOpen();
        parser.onGap(origin, offsets.get(origin), -1, sink);
        return this;
    }

    /**
     * Feeds one capture record of this connection: its payload, then a gap for the bytes it transferred but did
     * not capture. The origin follows from the record's direction and addresses: the sender is {@code local} for
     * {@code egress}, {@code remote} for {@code ingress}, and must be the connection's client or server.
     */
    public ParserHarness feed(CaptureRecord record) {
        String sender = record.direction() == Direction.EGRESS ? record.local() : record.remote();
        Origin origin;
        if (sender.equals(connection.client())) {
            origin = Origin.CLIENT;
        } else if (sender.equals(connection.server())) {
            origin = Origin.SERVER;
        } else {
            throw new IllegalArgumentException("record sent by " + sender + " is not part of " + connection.client()
                    + " <-> " + connection.server());
        }
        ByteBuffer payload = record.payload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        if (bytes.length > 0) {
            feed(origin, bytes);
        }
        if (record.size() > bytes.length) {
            gap(origin, record.size() - bytes.length);
        }
        return this;
    }

    /** Feeds records in order, see {@link #feed(CaptureRecord)}. */
    public ParserHarness feedAll(Iterable<CaptureRecord> records) {
        for (CaptureRecord r : records) {
            feed(r);
        }
        return this;
    }

    /** Ends the connection ({@link ConnectionParser#onClose}); nothing can be fed afterwards. */
    public ParserHarness close() {
        checkOpen();
        closed = true;
        parser.onClose(sink);
        return this;
    }

    /** The stream offset the next chunk of {@code origin} will get. */
    public long offset(Origin origin) {
        return offsets.get(origin);
    }

    public ConnectionInfo connection() {
        return connection;
    }

    /** The parser under test, for tests that call it directly. */
    public ConnectionParser parser() {
        return parser;
    }

    /** Every message reported so far, in the order reported. */
    public List<Message> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** The messages sent by {@code origin}, in the order reported. */
    public List<Message> messages(Origin origin) {
        return messages.stream().filter(m -> m.origin() == origin).toList();
    }

    /** The messages of one type, in the order reported. */
    public List<Message> messages(MessageType type) {
        return messages.stream().filter(m -> m.type() == type).toList();
    }

    public List<Message> requests() {
        return messages(MessageType.REQUEST);
    }

    public List<Message> responses() {
        return messages(MessageType.RESPONSE);
    }

    /** Every malformed report so far, in order. */
    public List<Malformed> malformed() {
        return Collections.unmodifiableList(malformed);
    }

    /** Every report of whole messages lost in a gap, in order. */
    public List<Lost> lost() {
        return Collections.unmodifiableList(lost);
    }

    /** Forgets the messages and malformed reports recorded so far (offsets and the parser's state stay). */
    public ParserHarness clearRecorded() {
        messages.clear();
        malformed.clear();
        lost.clear();
        return this;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the connection was closed");
        }
    }

    private static int port(String address) {
        int colon = address.lastIndexOf(':');
        try {
            return Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return 0;
        }
    }

    private final class RecordingSink implements MessageSink {
        @Override
        public void message(Origin origin, ParsedMessage message, long start, long end) {
            if (origin == null || message == null) {
                throw new AssertionError("message(" + origin + ", " + message + ") with a null argument");
            }
            if (start > end) {
                throw new AssertionError(origin + " message starts after it ends: " + start + " > " + end);
            }
            if (end > offsets.get(origin)) {
                throw new AssertionError(origin + " message ends at " + end + ", beyond the " + offsets.get(origin)
                        + " bytes fed: " + message);
            }
            if (interleaved) {
                if (start < 0 || !starts.get(origin).add(start)) {
                    throw new AssertionError(origin + " message at " + start + " reported twice (or before the"
                            + " stream's start): " + message);
                }
            } else if (start < lastEnds.get(origin)) {
                throw new AssertionError(origin + " message starts at " + start
                        + ", before the end of the previous one at " + lastEnds.get(origin) + ": " + message);
            }
            lastEnds.put(origin, Math.max(end, lastEnds.get(origin)));
            messages.add(new Message(origin, message, start, end));
        }

        @Override
        public void malformed(Origin origin, String reason) {
            if (origin == null || reason == null || reason.isBlank()) {
                throw new AssertionError("malformed(" + origin + ", " + reason + ") needs an origin and a reason");
            }
            malformed.add(new Malformed(origin, reason));
        }

        @Override
        public void lost(Origin origin, long start, long end) {
            if (origin == null || start > end) {
                throw new AssertionError("lost(" + origin + ", " + start + ", " + end + ") is not a byte range");
            }
            lost.add(new Lost(origin, start, end));
        }
    }
}
