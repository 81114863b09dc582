package org.deeptrace.pipeline.internal.core;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
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
    /** Requests that may wait for their responses; beyond this the oldest is closed without one. */
    static final int MAX_PENDING = 1024;

    private final ConnectionKey key;
    private final PipelineContext context;
    private final DirectionStream ingress;
    private final DirectionStream egress;
    private final ArrayDeque<Exchange> pendingFromClient = new ArrayDeque<>();
    private final ArrayDeque<Exchange> pendingFromServer = new ArrayDeque<>();
    private String comm;
    private long lastSeenNs;

    private ProtocolParser protocol;
    private ConnectionParser parser;
    /** The direction the client's bytes travel in, seen from this process: EGRESS when it is the client. */
    private Direction clientDirection;
    private int inferenceAttempts;
    private int malformedInARow;
    private long exchanges;

    Connection(ConnectionKey key, PipelineContext context) {
        this.key = key;
        this.context = context;
        this.ingress = new DirectionStream(Direction.INGRESS, context.counters());
        this.egress = new DirectionStream(Direction.EGRESS, context.counters());
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
        if (parser != null) {
            try {
                parser.onClose(this);
            } catch (RuntimeException e) {
                parserFailed(e);
            }
        }
        closePending(pendingFromClient);
        closePending(pendingFromServer);
    }

    // ---- StreamListener: ordered bytes of either direction

    @Override
    public void data(Direction direction, long offset, ByteBuffer bytes, CaptureRecord record) {
        if (parser != null && !context.parsers().contains(protocol)) {
            context.counters().increment("connections.parser_removed");
            dropParser();
        }
        if (parser == null && !infer(direction, bytes)) {
            context.counters().add("bytes.unparsed", bytes.remaining());
            return;
        }
        try {
            parser.onData(originOf(direction), offset, bytes, this);
        } catch (RuntimeException e) {
            parserFailed(e);
        }
    }

    @Override
    public void gap(Direction direction, long offset, long length) {
        if (parser == null) {
            return;
        }
        try {
            parser.onGap(originOf(direction), offset, length, this);
        } catch (RuntimeException e) {
            parserFailed(e);
        }
    }

    // ---- MessageSink: what the parser found

    @Override
    public void message(Origin origin, ParsedMessage message, long start, long end) {
        if (parser == null) {
            return; // the parser was dropped during this very call
        }
        malformedInARow = 0;
        Direction direction = directionOf(origin);
        DirectionStream stream = stream(direction);
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
                counters.increment("exchanges.unmatched_responses");
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
        if (++malformedInARow >= MAX_MALFORMED_IN_A_ROW) {
            context.counters().increment("connections.reinferred");
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

    // ---- internals

    private boolean infer(Direction direction, ByteBuffer bytes) {
        if (inferenceAttempts >= MAX_INFERENCE_ATTEMPTS) {
            return false;
        }
        inferenceAttempts++;
        boolean sent = direction == Direction.EGRESS;
        int srcPort = portOf(sent ? key.local() : key.remote());
        int dstPort = portOf(sent ? key.remote() : key.local());
        ProtocolParser best = null;
        Inference bestVerdict = Inference.NO;
        for (ProtocolParser candidate : context.parsers().parsers()) {
            if (!candidate.transports().contains(key.l4())) {
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
        if (best == null || bestVerdict.confidence() < context.settings().minConfidence()) {
            if (inferenceAttempts == MAX_INFERENCE_ATTEMPTS) {
                context.counters().increment("connections.unknown_protocol");
            }
            return false;
        }
        protocol = best;
        clientDirection = bestVerdict.sender() == Origin.CLIENT ? direction : direction.opposite();
        boolean isClient = clientDirection == Direction.EGRESS;
        String client = isClient ? key.local() : key.remote();
        String server = isClient ? key.remote() : key.local();
        try {
            parser = Objects.requireNonNull(best.open(new ConnectionInfo(key.l4(), client, server, key.tgid(), comm)));
        } catch (RuntimeException e) {
            parserFailed(e);
            return false;
        }
        inferenceAttempts = 0;
        context.counters().increment("connections." + best.protocol());
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
        parser = null;
        protocol = null;
        clientDirection = null;
        malformedInARow = 0;
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

    /** A request waiting for its response. */
    /** @param requestSeq TCP sequence number of the request's first byte, or -1 */
    private record Exchange(ParsedMessage request, Direction direction, long firstTs, long requestLastTs, int tid,
            long requestSeq) {
    }
}
