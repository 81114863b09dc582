package org.deeptrace.pipeline.internal.core;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.pipeline.internal.stream.DirectionStream;
import org.deeptrace.pipeline.internal.stream.StreamListener;

/**
 * One socket of one process: reassembles its two byte streams, finds their protocol, feeds the protocol's
 * parser, and pairs the requests and responses it reports into exchanges.
 */
final class Connection implements StreamListener, MessageSink {
    /** Chunks a connection may fail inference on before it is left unparsed. */
    static final int MAX_INFERENCE_ATTEMPTS = 32;
    /** Parser errors in a row after which the protocol is inferred anew. */
    static final int MAX_MALFORMED_IN_A_ROW = 3;
    /**
     * A protocol inferred with less confidence than this is on probation: the first parse error within its first
     * {@link #PROBATION_MESSAGES} messages revises the inference, and the protocol is not inferred again for this
     * connection (weak evidence that failed: POP3's "+OK" greeting looks like a RESP reply).
     */
    static final double CONFIDENT = 0.8;
    static final int PROBATION_MESSAGES = 16;
    /** Requests that may wait for their responses; beyond this the oldest is closed without one. */
    static final int MAX_PENDING = 1024;
    /**
     * Bytes of one direction kept while inference cannot decide on them, so the next chunk is judged together with
     * them: live capture gives one record per read(), and a server that reads a length prefix alone (DNS over TCP,
     * Thrift framed) would otherwise lose its first message.
     */
    static final int MAX_UNDECIDED_BYTES = 4096;
    /** Responses kept while they wait for a request that is still being read (see {@link EarlyResponse}). */
    static final int MAX_EARLY_RESPONSES = 4;

    private final ConnectionKey key;
    private final PipelineContext context;
    private final DirectionStream ingress;
    private final DirectionStream egress;
    private final ArrayDeque<Exchange> pendingFromClient = new ArrayDeque<>();
    private final ArrayDeque<Exchange> pendingFromServer = new ArrayDeque<>();
    /** Responses parsed before the request they answer was complete, by the origin of that request. */
    private final ArrayDeque<EarlyResponse> earlyForClient = new ArrayDeque<>();
    private final ArrayDeque<EarlyResponse> earlyForServer = new ArrayDeque<>();
    private String comm;
    private long lastSeenNs;

    private ProtocolParser protocol;
    private ConnectionParser parser;
    /** The direction the client's bytes travel in, seen from this process: EGRESS when it is the client. */
    private Direction clientDirection;
    /** Confidence of the current parser's choice: the verdict's, or 1 for a pin or a named protocol switch. */
    private double confidence;
    /** Messages the current parser reported so far. */
    private long messagesParsed;
    /** Protocols inferred on probation that failed on this connection: not inferred again for it. */
    private java.util.Set<ProtocolParser> rejected;
    /** The parser came from a {@code protocols.ports} pin: errors are counted, the parser is kept. */
    private boolean pinned;
    /** The pin of this connection's port names a protocol that is not available (counted once). */
    private boolean pinMissed;
    private int inferenceAttempts;
    /** The context's inference generation {@link #inferenceAttempts} were counted under. */
    private int inferenceGeneration;
    /** Parser errors in a row per origin (CLIENT, SERVER): a message from the same end resets its count. */
    private final int[] malformedInARow = new int[2];
    private long exchanges;
    /**
     * Stream offset (per direction: INGRESS, EGRESS) where the current parser's streams begin: 0, or the point where
     * the connection switched protocols. Parsers see offsets relative to it.
     */
    private final long[] base = new long[2];
    /** Stream offset (per direction) just past the bytes handed to a parser so far. */
    private final long[] delivered = new long[2];
    /** A switch the parser reported during the current call, applied when the call returns. */
    private Switch pendingSwitch;
    /** Per direction: contiguous bytes inference rejected so far (no parser yet), from {@link #undecidedStart}. */
    private final byte[][] undecided = new byte[2][];
    private final int[] undecidedLength = new int[2];
    private final long[] undecidedStart = new long[2];

    Connection(ConnectionKey key, PipelineContext context) {
        this.key = key;
        this.context = context;
        this.ingress = new DirectionStream(Direction.INGRESS, context.counters());
        this.egress = new DirectionStream(Direction.EGRESS, context.counters());
        this.inferenceGeneration = context.inferenceGeneration();
    }

    ConnectionKey key() {
        return key;
    }

    long lastSeenNs() {
        return lastSeenNs;
    }

    void add(CaptureRecord r) {
        comm = r.comm();
        lastSeenNs = Math.max(lastSeenNs, r.tsNs());
        stream(r.direction()).add(r, this);
    }

    /** Whether {@code r} belongs to a new connection that reuses this one's addresses (see DirectionStream). */
    boolean isReusedBy(CaptureRecord r) {
        return stream(r.direction()).startsNewConnection(r);
    }

    /** Removes and returns the records of both directions that wait for missing predecessors. */
    List<CaptureRecord> takeWaitingRecords() {
        List<CaptureRecord> taken = new ArrayList<>(ingress.takeWaiting());
        taken.addAll(egress.takeWaiting());
        return taken;
    }

    boolean hasWaitingRecords() {
        return ingress.hasWaiting() || egress.hasWaiting();
    }

    /** Declares missing bytes lost for records that waited since before {@code olderThanNs}. */
    void releaseWaiting(long olderThanNs) {
        if (ingress.oldestWaitingTs() < olderThanNs) {
            ingress.releaseWaiting(this);
        }
        if (egress.oldestWaitingTs() < olderThanNs) {
            egress.releaseWaiting(this);
        }
    }

    void forgetRecordsOlderThan(long tsNs) {
        ingress.releaseOlderThan(tsNs);
        egress.releaseOlderThan(tsNs);
    }

    /** End of the connection or of the capture: completes what can be, and closes what waits without a response. */
    void close() {
        ingress.releaseWaiting(this);
        egress.releaseWaiting(this);
        discardUndecided(Direction.INGRESS.ordinal());
        discardUndecided(Direction.EGRESS.ordinal());
        if (parser != null) {
            try {
                parser.onClose(this);
            } catch (RuntimeException e) {
                parserFailed(e);
            }
        }
        closePending(pendingFromClient);
        closePending(pendingFromServer);
        discardEarly();
    }

    // ---- StreamListener: ordered bytes of either direction

    @Override
    public void data(Direction direction, long offset, ByteBuffer bytes, CaptureRecord record) {
        int d = direction.ordinal();
        if (offset < base[d]) {
            // Bytes of the protocol before a switch that its parser never got: nobody can parse them now.
            long skip = Math.min(base[d] - offset, bytes.remaining());
            context.counters().add("bytes.unparsed", skip);
            bytes.position(bytes.position() + (int) skip);
            offset += skip;
            if (!bytes.hasRemaining()) {
                return;
            }
        }
        if (parser != null && !context.parsers().contains(protocol)) {
            context.counters().increment("connections.parser_removed");
            dropParser();
        } else if (parser != null && context.rules().isDisabled(protocol.protocol())) {
            context.counters().increment("connections.parser_disabled");
            dropParser();
        }
        if (parser == null) {
            if (inferenceGeneration != context.inferenceGeneration()) {
                // The rules or the threshold changed since this connection was last judged: judge it afresh, also
                // when it had been given up on. Connections with a protocol keep it.
                inferenceGeneration = context.inferenceGeneration();
                inferenceAttempts = 0;
                pinMissed = false;
            }
            // Judge this chunk together with the undecided bytes just before it; the parser chosen gets them all.
            long start = undecidedLength[d] > 0 && undecidedStart[d] + undecidedLength[d] == offset
                    ? undecidedStart[d] : offset;
            ByteBuffer candidate = withUndecided(d, offset, bytes);
            if (!pin(direction) && !infer(direction, candidate)) {
                keepUndecided(d, start, candidate);
                return;
            }
            undecidedLength[d] = 0;
            undecided[d] = null;
            discardUndecided(1 - d);
            bytes = candidate;
            offset = start;
        }
        int position = bytes.position();
        int limit = bytes.limit();
        try {
            parser.onData(originOf(direction), offset - base[d], bytes, this);
        } catch (RuntimeException e) {
            parserFailed(e);
        }
        long chunkEnd = offset + limit - position;
        if (pendingSwitch == null) {
            delivered[d] = Math.max(delivered[d], chunkEnd);
        } else {
            Switch s = pendingSwitch;
            pendingSwitch = null;
            long at = s.offsetIn(direction, clientDirection);
            // What the old parser got of this chunk ends at the switch; the rest is handed on below.
            delivered[d] = Math.max(delivered[d], Math.min(at, chunkEnd));
            switchTo(s);
            if (at < chunkEnd) {
                // The rest of this chunk is the new protocol's.
                ByteBuffer rest = bytes.duplicate();
                rest.limit(limit).position(position + (int) Math.max(0, at - offset));
                data(direction, Math.max(at, offset), rest, record);
            }
        }
    }

    @Override
    public void gap(Direction direction, long offset, long length) {
        int d = direction.ordinal();
        if (parser == null) {
            discardUndecided(d); // undecided bytes are kept only while contiguous
            return;
        }
        if (offset < base[d]) {
            if (length >= 0 && offset + length <= base[d]) {
                return; // lost bytes of the protocol before the switch
            }
            length = length < 0 ? length : length - (base[d] - offset);
            offset = base[d];
        }
        try {
            parser.onGap(originOf(direction), offset - base[d], length, this);
        } catch (RuntimeException e) {
            parserFailed(e);
        }
        if (length > 0) {
            delivered[d] = Math.max(delivered[d], offset + length);
        }
        if (pendingSwitch != null) {
            Switch s = pendingSwitch;
            pendingSwitch = null;
            switchTo(s);
        }
    }

    // ---- MessageSink: what the parser found

    @Override
    public void message(Origin origin, ParsedMessage message, long start, long end) {
        if (parser == null) {
            return; // the parser was dropped during this very call
        }
        malformedInARow[origin.ordinal()] = 0;
        messagesParsed++;
        Direction direction = directionOf(origin);
        DirectionStream stream = stream(direction);
        start += base[direction.ordinal()];
        end += base[direction.ordinal()];
        long firstTs = stream.timestampAt(start);
        long lastTs = stream.timestampAt(Math.max(start, end - 1));
        Counters counters = context.counters();
        counters.increment("messages." + message.protocol());
        String self = key.local();
        String peer = key.remote();
        boolean sent = direction == Direction.EGRESS;
        context.messages().message(new L7Message(firstTs, sent ? self : peer, sent ? peer : self, key.l4(), message));

        if (message.type() == MessageType.REQUEST) {
            Exchange exchange = new Exchange(message, direction, firstTs, lastTs, stream.tidAt(start),
                    stream.seqAt(start));
            if (!message.expectsResponse()) {
                emit(exchange, null, lastTs);
                return;
            }
            EarlyResponse answer = takeEarlyResponse(origin, exchange);
            if (answer != null) {
                counters.increment("pairing.response_before_request_end");
                emit(exchange, answer.response, answer.lastTs);
                return;
            }
            ArrayDeque<Exchange> pending = pendingFrom(origin);
            if (pending.size() >= MAX_PENDING) {
                counters.increment("exchanges.pending_overflow");
                Exchange oldest = pending.poll();
                emit(oldest, null, oldest.requestLastTs);
            }
            pending.add(exchange);
        } else if (message.type() == MessageType.RESPONSE) {
            Exchange exchange = takeRequestFor(pendingFrom(origin.opposite()), message);
            if (exchange == null) {
                // The server may have answered before it read its request's last bytes (php-fpm reads FastCGI's
                // empty STDIN record after writing the response): live capture, in syscall order, then completes
                // the response first. It waits for that request instead of being lost, which would pair every
                // later response of the connection with the request before its own.
                ArrayDeque<EarlyResponse> early = earlyFor(origin.opposite());
                if (early.size() >= MAX_EARLY_RESPONSES) {
                    early.poll();
                    counters.increment("exchanges.unmatched_responses");
                }
                early.add(new EarlyResponse(message, firstTs, lastTs));
                return;
            }
            emit(exchange, message, lastTs);
        }
    }

    @Override
    public void malformed(Origin origin, String reason) {
        if (parser == null) {
            return;
        }
        context.counters().increment("parse.malformed." + protocolName() + "." + reason.replace(' ', '_'));
        if (!pinned && confidence < CONFIDENT && messagesParsed < PROBATION_MESSAGES) {
            context.counters().increment("connections.reinferred");
            context.counters().increment("connections.reinferred_from." + protocolName());
            if (rejected == null) {
                rejected = new java.util.HashSet<>();
            }
            rejected.add(protocol);
            dropParser();
            return;
        }
        if (++malformedInARow[origin.ordinal()] < MAX_MALFORMED_IN_A_ROW) {
            return;
        }
        if (pinned) {
            // The operator pinned this port to this protocol: say that it does not parse, but keep the pin.
            context.counters().increment("connections.pinned_parse_errors");
            malformedInARow[origin.ordinal()] = 0;
        } else {
            // The inference was wrong, or the protocol changed: revise it on the next bytes.
            context.counters().increment("connections.reinferred");
            context.counters().increment("connections.reinferred_from." + protocolName());
            dropParser();
        }
    }

    @Override
    public void lost(Origin origin, long start, long end) {
        if (parser == null) {
            return;
        }
        context.counters().increment("parse.lost_messages");
        // The responses after the gap belong to later requests: the oldest one waiting had its answer in the gap.
        ArrayDeque<Exchange> pending = pendingFrom(origin.opposite());
        if (pending.size() >= 2) {
            Exchange orphan = pending.poll();
            context.counters().increment("exchanges.lost_responses");
            emit(orphan, null, orphan.requestLastTs);
        }
    }

    @Override
    public void protocolSwitched(String newProtocol, long clientOffset, long serverOffset) {
        if (parser == null || clientOffset < 0 || serverOffset < 0) {
            return;
        }
        int c = clientDirection.ordinal();
        int s = clientDirection.opposite().ordinal();
        pendingSwitch = new Switch(newProtocol, base[c] + clientOffset, base[s] + serverOffset);
    }

    // ---- internals

    /**
     * Continues the connection in another protocol from the switch point on: the old parser is let go (without
     * onClose: it reported what it had) and the requests it left waiting stay pending (the new protocol may answer
     * them); the new one sees streams that start at the switch. Bytes already given to the old parser past the switch point are a gap to the new one.
     */
    private void switchTo(Switch s) {
        String from = protocolName();
        ProtocolParser next = context.rules().find(s.protocol(), context.parsers().parsers());
        Direction client = clientDirection;
        base[client.ordinal()] = s.clientOffset();
        base[client.opposite().ordinal()] = s.serverOffset();
        malformedInARow[0] = 0;
        malformedInARow[1] = 0;
        parser = null;
        protocol = null;
        pinned = false;
        inferenceAttempts = 0;
        context.counters().increment("connections.switched." + from + "_to_"
                + (next != null ? next.protocol() : s.protocol() == null ? "inferred" : s.protocol() + "_unavailable"));
        if (next == null) {
            clientDirection = null; // the new protocol is inferred from its first bytes, sides included
            return;
        }
        if (!open(next, client)) {
            return;
        }
        for (Direction d : Direction.values()) {
            long missed = delivered[d.ordinal()] - base[d.ordinal()];
            if (missed > 0 && parser != null) {
                context.counters().add("connections.switch_missed_bytes", missed);
                try {
                    parser.onGap(originOf(d), 0, missed, this);
                } catch (RuntimeException e) {
                    parserFailed(e);
                }
            }
        }
    }

    /**
     * {@code bytes} preceded by this direction's undecided bytes when they end where it begins; otherwise the
     * undecided bytes are given up (a gap or a restart lies between) and {@code bytes} alone is returned.
     */
    private ByteBuffer withUndecided(int d, long offset, ByteBuffer bytes) {
        if (undecidedLength[d] == 0) {
            return bytes;
        }
        if (undecidedStart[d] + undecidedLength[d] != offset) {
            discardUndecided(d);
            return bytes;
        }
        ByteBuffer joined = ByteBuffer.allocate(undecidedLength[d] + bytes.remaining());
        joined.put(undecided[d], 0, undecidedLength[d]).put(bytes.duplicate()).flip();
        return joined;
    }

    /** Keeps {@code bytes} (from stream offset {@code start}) for the next inference, or counts them unparsed. */
    private void keepUndecided(int d, long start, ByteBuffer bytes) {
        int n = bytes.remaining();
        if (n > MAX_UNDECIDED_BYTES || inferenceAttempts >= MAX_INFERENCE_ATTEMPTS) {
            undecidedLength[d] = 0;
            undecided[d] = null;
            context.counters().add("bytes.unparsed", n);
            return;
        }
        byte[] kept = undecided[d] != null && undecided[d].length >= n ? undecided[d] : new byte[n];
        bytes.duplicate().get(kept, 0, n);
        undecided[d] = kept;
        undecidedLength[d] = n;
        undecidedStart[d] = start;
    }

    /** Gives up the undecided bytes of direction {@code d}: nothing will parse them. */
    private void discardUndecided(int d) {
        if (undecidedLength[d] > 0) {
            context.counters().add("bytes.unparsed", undecidedLength[d]);
        }
        undecidedLength[d] = 0;
        undecided[d] = null;
    }

    /** Opens {@code parser} of a pinned port, without inference; false when no pin applies. */
    private boolean pin(Direction direction) {
        ProtocolRules rules = context.rules();
        if (!rules.hasPins()) {
            return false;
        }
        Transport l4 = key.l4();
        ProtocolRules.Pin local = rules.pinAt(l4, portOf(key.local()));
        ProtocolRules.Pin remote = rules.pinAt(l4, portOf(key.remote()));
        if (local == null && remote == null) {
            return false;
        }
        // The pinned port is the server's; when both are, the end receiving the first bytes is taken for it.
        boolean serverIsLocal = local != null && (remote == null || direction == Direction.INGRESS);
        ProtocolRules.Pin pin = serverIsLocal ? local : remote;
        ProtocolParser p = rules.parserFor(pin, context.parsers().parsers());
        if (p == null) {
            if (!pinMissed) {
                pinMissed = true; // counted once per connection, not per chunk inference then looks at
                context.pinUnavailable();
            }
            return false;
        }
        if (!open(p, serverIsLocal ? Direction.INGRESS : Direction.EGRESS)) {
            return false;
        }
        pinned = true;
        context.counters().increment("connections.pinned");
        return true;
    }

    /** Opens a parser of {@code chosen} for this connection, whose client sends in {@code clientBytes}. */
    private boolean open(ProtocolParser chosen, Direction clientBytes) {
        protocol = chosen;
        clientDirection = clientBytes;
        boolean isClient = clientDirection == Direction.EGRESS;
        String client = isClient ? key.local() : key.remote();
        String server = isClient ? key.remote() : key.local();
        try {
            parser = Objects.requireNonNull(chosen.open(new ConnectionInfo(key.l4(), client, server, key.tgid(), comm)));
        } catch (RuntimeException e) {
            parserFailed(e);
            return false;
        }
        inferenceAttempts = 0;
        confidence = 1;
        messagesParsed = 0;
        context.counters().increment("connections." + chosen.protocol());
        return true;
    }

    private boolean infer(Direction direction, ByteBuffer bytes) {
        if (inferenceAttempts >= MAX_INFERENCE_ATTEMPTS) {
            return false;
        }
        inferenceAttempts++;
        boolean sent = direction == Direction.EGRESS;
        int srcPort = portOf(sent ? key.local() : key.remote());
        int dstPort = portOf(sent ? key.remote() : key.local());
        ProtocolRules rules = context.rules();
        ProtocolParser best = null;
        Inference bestVerdict = Inference.NO;
        for (ProtocolParser candidate : context.parsers().parsers()) {
            if (!candidate.transports().contains(key.l4()) || rules.isDisabled(candidate.protocol())
                    || (rejected != null && rejected.contains(candidate))) {
                continue;
            }
            Inference verdict;
            try {
                verdict = candidate.infer(bytes.duplicate(), key.l4(), srcPort, dstPort);
            } catch (RuntimeException e) {
                context.counters().increment("parse.inference_errors." + candidate.protocol());
                continue;
            }
            if (verdict != null && verdict.confidence() > bestVerdict.confidence()) {
                best = candidate;
                bestVerdict = verdict;
            }
        }
        if (best == null || bestVerdict.confidence() < context.minConfidence()) {
            if (inferenceAttempts == MAX_INFERENCE_ATTEMPTS) {
                context.counters().increment("connections.unknown_protocol");
            }
            return false;
        }
        if (!open(best, bestVerdict.sender() == Origin.CLIENT ? direction : direction.opposite())) {
            return false;
        }
        confidence = bestVerdict.confidence();
        return true;
    }

    private Exchange takeRequestFor(ArrayDeque<Exchange> pending, ParsedMessage response) {
        Object id = response.requestId();
        if (id != null) {
            for (Iterator<Exchange> it = pending.iterator(); it.hasNext();) {
                Exchange e = it.next();
                if (id.equals(e.request.requestId())) {
                    it.remove();
                    return e;
                }
            }
        }
        return pending.poll();
    }

    /**
     * The early response that answers this request, just completed: one that began after the request's first byte
     * (and carries the same request id, when both have one). Early responses that began before it answer nothing
     * captured (later requests begin later still) and are dropped as unmatched.
     */
    private EarlyResponse takeEarlyResponse(Origin requestOrigin, Exchange exchange) {
        ArrayDeque<EarlyResponse> early = earlyFor(requestOrigin);
        while (!early.isEmpty() && early.peek().firstTs < exchange.firstTs) {
            early.poll();
            context.counters().increment("exchanges.unmatched_responses");
        }
        EarlyResponse first = early.peek();
        if (first == null) {
            return null;
        }
        Object id = first.response.requestId();
        Object requestId = exchange.request.requestId();
        return id != null && requestId != null && !id.equals(requestId) ? null : early.poll();
    }

    private ArrayDeque<EarlyResponse> earlyFor(Origin requestOrigin) {
        return requestOrigin == Origin.CLIENT ? earlyForClient : earlyForServer;
    }

    private void discardEarly() {
        for (ArrayDeque<EarlyResponse> early : List.of(earlyForClient, earlyForServer)) {
            if (!early.isEmpty()) {
                context.counters().add("exchanges.unmatched_responses", early.size());
                early.clear();
            }
        }
    }

    private void emit(Exchange exchange, ParsedMessage response, long endNs) {
        context.spans().exchange(key, comm, exchange.request, response, exchange.direction, exchange.firstTs,
                Math.max(endNs, exchange.firstTs), exchange.tid, exchange.requestSeq, exchanges++);
    }

    private void closePending(ArrayDeque<Exchange> pending) {
        while (!pending.isEmpty()) {
            Exchange e = pending.poll();
            context.counters().increment("exchanges.without_response");
            emit(e, null, e.requestLastTs);
        }
    }

    private void parserFailed(RuntimeException e) {
        // A plugin bug must cost this connection its parser, never the pipeline.
        context.counters().increment("parse.exceptions." + protocolName());
        context.logParserFailure(protocolName(), e);
        dropParser();
    }

    private void dropParser() {
        closePending(pendingFromClient);
        closePending(pendingFromServer);
        discardEarly();
        parser = null;
        protocol = null;
        clientDirection = null;
        pendingSwitch = null; // a switch reported by a parser that then failed is not followed
        pinned = false;
        malformedInARow[0] = 0;
        malformedInARow[1] = 0;
        inferenceAttempts = 0;
    }

    private String protocolName() {
        return protocol == null ? "none" : protocol.protocol();
    }

    private Origin originOf(Direction direction) {
        return direction == clientDirection ? Origin.CLIENT : Origin.SERVER;
    }

    private Direction directionOf(Origin origin) {
        return origin == Origin.CLIENT ? clientDirection : clientDirection.opposite();
    }

    private ArrayDeque<Exchange> pendingFrom(Origin origin) {
        return origin == Origin.CLIENT ? pendingFromClient : pendingFromServer;
    }

    private DirectionStream stream(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }

    static int portOf(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(address, colon + 1, address.length(), 10);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A protocol switch reported by a parser, in absolute stream offsets. */
    private record Switch(String protocol, long clientOffset, long serverOffset) {
        long offsetIn(Direction direction, Direction clientDirection) {
            return direction == clientDirection ? clientOffset : serverOffset;
        }
    }

    /** A response parsed while no request waited for it: its request may still be in the middle of being read. */
    private record EarlyResponse(ParsedMessage response, long firstTs, long lastTs) {
    }

    /** A request waiting for its response. */
    /** @param requestSeq TCP sequence number of the request's first byte, or -1 */
    private record Exchange(ParsedMessage request, Direction direction, long firstTs, long requestLastTs, int tid,
            long requestSeq) {
    }
}
