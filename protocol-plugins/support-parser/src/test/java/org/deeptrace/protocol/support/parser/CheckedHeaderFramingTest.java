package org.deeptrace.protocol.support.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

/**
 * The shared checked-header framing on a toy protocol: a 3-byte header {@code 0xAB 0xCD length} (a length of at
 * most 100), then the body, of which the first 2 bytes are kept.
 */
class CheckedHeaderFramingTest {
    static final int MAGIC_HIGH = 0xAB;
    static final int MAGIC_LOW = 0xCD;

    /** Records every call as a line: {@code M 0-5 kept}, {@code X reason}, {@code L 5-9}. */
    static final class Toy extends CheckedHeaderFraming {
        final List<String> events = new ArrayList<>();
        private final byte[] kept = new byte[2];
        private int keptFill;
        private boolean holed;

        Toy() {
            super(Origin.CLIENT, 3);
        }

        @Override
        protected boolean headerPrefixValid(byte[] header, int fill) {
            return (header[0] & 0xFF) == MAGIC_HIGH && (fill < 2 || (header[1] & 0xFF) == MAGIC_LOW)
                    && (fill < 3 || (header[2] & 0xFF) <= 100);
        }

        @Override
        protected int headerLength(byte[] header, int fill) {
            return 3;
        }

        @Override
        protected int dropBeforeNextStart(byte[] header, int fill) {
            int i = 1;
            while (i < fill && (header[i] & 0xFF) != MAGIC_HIGH) {
                i++;
            }
            return i;
        }

        @Override
        protected long startBody(byte[] header, int length) {
            keptFill = 0;
            holed = false;
            return header[2];
        }

        @Override
        protected void keepBody(ByteBuffer chunk, int n, long bodyDone) {
            int copy = holed ? 0 : Math.min(n, kept.length - keptFill);
            chunk.get(chunk.position(), kept, keptFill, copy);
            keptFill += copy;
        }

        @Override
        protected void bodyGap(long bodyDone, long length) {
            holed = true;
        }

        @Override
        protected void complete(long start, long end, MessageSink out) {
            events.add("M " + start + "-" + end + " " + new String(kept, 0, keptFill) + (holed ? " holed" : ""));
        }
    }

    private final Toy toy = new Toy();
    private final PerDirectionParser<Toy> parser = new PerDirectionParser<>(o -> toy) {
    };
    private final MessageSink sink = new MessageSink() {
        @Override
        public void message(Origin origin, ParsedMessage message, long start, long end) {
            throw new AssertionError();
        }

        @Override
        public void malformed(Origin origin, String reason) {
            toy.events.add("X " + reason);
        }

        @Override
        public void lost(Origin origin, long start, long end) {
            toy.events.add("L " + start + "-" + end);
        }
    };
    private long offset;

    static byte[] msg(String body) {
        byte[] m = new byte[3 + body.length()];
        m[0] = (byte) MAGIC_HIGH;
        m[1] = (byte) MAGIC_LOW;
        m[2] = (byte) body.length();
        System.arraycopy(body.getBytes(), 0, m, 3, body.length());
        return m;
    }

    private void feed(byte[]... parts) {
        for (byte[] p : parts) {
            parser.onData(Origin.CLIENT, offset, ByteBuffer.wrap(p), sink);
            offset += p.length;
        }
    }

    private void gap(long length) {
        parser.onGap(Origin.CLIENT, offset, length, sink);
        offset += Math.max(0, length);
    }

    @Test
    void messagesSplitAnywhereAreFramed() {
        byte[] stream = new byte[0];
        for (byte[] m : List.of(msg("abc"), msg(""), msg("x"))) {
            int n = stream.length;
            stream = Arrays.copyOf(stream, n + m.length);
            System.arraycopy(m, 0, stream, n, m.length);
        }
        for (int split = 0; split <= stream.length; split++) {
            CheckedHeaderFramingTest t = new CheckedHeaderFramingTest();
            t.feed(Arrays.copyOfRange(stream, 0, split), Arrays.copyOfRange(stream, split, stream.length));
            assertEquals(List.of("M 0-6 ab", "M 6-9 ", "M 9-13 x"), t.toy.events, "split at " + split);
        }
    }

    @Test
    void garbageIsReportedOnceAndTheSearchGoesOnAcrossChunks() {
        feed(new byte[] {1, 2, (byte) MAGIC_HIGH, 3}, new byte[] {4, (byte) MAGIC_HIGH}, new byte[] {(byte) MAGIC_LOW,
            2, 'o', 'k'});
        assertEquals(List.of("X bad header", "M 5-10 ok"), toy.events);
    }

    @Test
    void anImpossibleLengthIsABadHeader() {
        feed(new byte[] {(byte) MAGIC_HIGH, (byte) MAGIC_LOW, 101}, msg("a"));
        assertEquals(List.of("X bad header", "M 3-7 a"), toy.events);
    }

    @Test
    void gapsInsideBetweenAndAcrossMessages() {
        byte[] a = msg("abcd");
        feed(Arrays.copyOf(a, 4));
        gap(2); // "bc": inside the body
        feed(Arrays.copyOfRange(a, 6, 7));
        gap(10); // between messages
        feed(Arrays.copyOf(msg("xyz"), 4));
        gap(20); // past the body: the message is dropped, nothing is reported lost
        gap(5); // while looking for a header: not reported either
        feed(new byte[] {9}, msg("ok"));
        assertEquals(List.of("M 0-7 a holed", "L 7-17", "M 47-52 ok"), toy.events);
    }
}
