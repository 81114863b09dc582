package org.deeptrace.protocol.support.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class PerDirectionParserTest {
    /** Records what its origin's stream was handed, and consumes every chunk it gets. */
    static final class Recorder implements PerDirectionParser.Direction {
        final Origin origin;
        final List<String> seen = new ArrayList<>();

        Recorder(Origin origin) {
            this.origin = origin;
        }

        @Override
        public void data(long offset, ByteBuffer chunk, MessageSink out) {
            seen.add(origin + " data " + offset + " " + chunk.remaining());
            chunk.position(chunk.limit());
        }

        @Override
        public void gap(long offset, long length, MessageSink out) {
            seen.add(origin + " gap " + offset + " " + length);
        }
    }

    static final class Pair extends PerDirectionParser<Recorder> {
        Pair() {
            super(Recorder::new);
        }
    }

    private static final MessageSink NOTHING = new MessageSink() {
        @Override
        public void message(Origin origin, ParsedMessage message, long start, long end) {
        }

        @Override
        public void malformed(Origin origin, String reason) {
        }

        @Override
        public void lost(Origin origin, long start, long end) {
        }
    };

    @Test
    void eachOriginGetsItsOwnCallsAndItsOwnViewOfTheChunk() {
        Pair pair = new Pair();
        ByteBuffer chunk = ByteBuffer.wrap(new byte[10], 2, 5);
        pair.onData(Origin.CLIENT, 0, chunk, NOTHING);
        pair.onGap(Origin.SERVER, 0, -1, NOTHING);
        pair.onData(Origin.SERVER, 7, chunk, NOTHING);
        assertEquals(2, chunk.position(), "the caller's buffer is not moved");
        assertEquals(List.of("CLIENT data 0 5"), pair.direction(Origin.CLIENT).seen);
        assertEquals(List.of("SERVER gap 0 -1", "SERVER data 7 5"), pair.direction(Origin.SERVER).seen);
    }
}
