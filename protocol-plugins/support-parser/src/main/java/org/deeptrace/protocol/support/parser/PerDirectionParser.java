package org.deeptrace.protocol.support.parser;

import java.nio.ByteBuffer;
import java.util.function.Function;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * A {@link ConnectionParser} whose two byte streams are framed independently: one {@link Direction} state machine
 * per origin, each handed its own chunks and gaps. Each chunk is handed over as a view of its own (a duplicate), so
 * a direction may move its position freely; the bytes are still only valid during the call.
 *
 * @param <D> the framing state of one direction
 */
public abstract class PerDirectionParser<D extends PerDirectionParser.Direction> implements ConnectionParser {
    /** The framing state of one origin's byte stream. */
    public interface Direction {
        /** Captured bytes at stream offset {@code offset}: {@code chunk} from its position to its limit. */
        void data(long offset, ByteBuffer chunk, MessageSink out);

        /** {@code length} bytes at {@code offset} were not captured; -1: an unknown amount. */
        void gap(long offset, long length, MessageSink out);
    }

    private final D client;
    private final D server;

    /** @param direction makes the state of one origin's stream */
    protected PerDirectionParser(Function<Origin, D> direction) {
        this.client = direction.apply(Origin.CLIENT);
        this.server = direction.apply(Origin.SERVER);
    }

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        direction(origin).data(offset, chunk.duplicate(), out);
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        direction(origin).gap(offset, length, out);
    }

    /** The state of {@code origin}'s stream. */
    protected final D direction(Origin origin) {
        return origin == Origin.CLIENT ? client : server;
    }
}
