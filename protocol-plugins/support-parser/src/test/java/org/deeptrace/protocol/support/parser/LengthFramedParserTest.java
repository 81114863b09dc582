package org.deeptrace.protocol.support.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

/**
 * The shared framing on a toy protocol: a 4-byte header {@code 'L' 'F' length(2)} then the body; the first bytes of
 * the body are kept (at most {@link Toy#KEEP}); a body of more than {@link Toy#MAX} bytes is impossible.
 */
class LengthFramedParserTest {
    /** Records every call as a line: {@code M C 0-9 kept whole}, {@code X C reason}, {@code L C 9-20}. */
    static final class Toy extends LengthFramedParser {
        static final int KEEP = 4;
        static final int MAX = 1000;
        final List<String> events = new ArrayList<>();
        boolean checkStart;
        /** Body bytes wanted; -1: the whole body. */
        int prefix = -1;

        Toy(boolean datagrams) {
            super(4, MAX, KEEP, datagrams);
        }

        @Override
        protected long bodyLength(byte[] header) {
            return header[0] == 'L' && header[1] == 'F' ? ((header[2] & 0xFF) << 8 | (header[3] & 0xFF)) : -1;
        }

        @Override
        protected String badHeader(byte[] header) {
            return header[0] == 'L' && header[1] == 'F' ? "too long" : "bad magic";
        }

        @Override
        protected int findHeader(ByteBuffer chunk, int from, int limit) {
            for (int i = from; i + 2 <= limit; i++) {
                if (chunk.get(i) == 'L' && chunk.get(i + 1) == 'F') {
                    return i;
                }
            }
            return -1;
        }

        @Override
        protected long prefixLength(byte[] header, long bodyLength) {
            return prefix < 0 ? bodyLength : prefix;
        }

        @Override
        protected int bodyStartLength() {
            return checkStart ? 1 : 0;
        }

        @Override
        protected String checkBodyStart(byte[] kept, int keptLength) {
            return keptLength > 0 && kept[0] == '!' ? "bad start" : null;
        }

        @Override
        protected void complete(Origin origin, byte[] header, byte[] kept, int keptLength, boolean whole,
                long start, long size, MessageSink out) {
            events.add("M " + origin.name().charAt(0) + " " + start + "-" + (start + size) + " "
                    + new String(kept, 0, keptLength, StandardCharsets.US_ASCII) + (whole ? "" : " cut"));
        }
    }

    private final Toy toy = new Toy(false);
    private final MessageSink sink = new MessageSink() {
        @Override
        public void message(Origin origin, ParsedMessage message, long start, long end) {
            throw new AssertionError("the toy reports in complete()");
        }

        @Override
        public void malformed(Origin origin, String reason) {
            toy.events.add("X " + origin.name().charAt(0) + " " + reason);
        }

        @Override
        public void lost(Origin origin, long start, long end) {
            toy.events.add("L " + origin.name().charAt(0) + " " + start + "-" + end);
        }
    };

    static byte[] msg(String body) {
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[4 + b.length];
        m[0] = 'L';
        m[1] = 'F';
        m[2] = (byte) (b.length >> 8);
        m[3] = (byte) b.length;
        System.arraycopy(b, 0, m, 4, b.length);
        return m;
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** Feeds {@code bytes[from, to)} at stream offset {@code from}, as a chunk that is not at index 0. */
    private void feed(Origin origin, byte[] bytes, int from, int to) {
        byte[] storage = new byte[to - from + 5];
        System.arraycopy(bytes, from, storage, 5, to - from);
        toy.onData(origin, from, ByteBuffer.wrap(storage, 5, to - from).slice().asReadOnlyBuffer(), sink);
        Arrays.fill(storage, (byte) '#'); // a chunk is only valid during the call
    }

    private void feed(byte[] bytes, int from, int to) {
        feed(Origin.CLIENT, bytes, from, to);
    }

    @Test
    void everySplitOfTheStreamYieldsTheSameMessages() {
        byte[] stream = concat(msg("ab"), msg(""), msg("abcdefgh"));
        List<String> expected = List.of("M C 0-6 ab", "M C 6-10 ", "M C 10-22 abcd cut");
        for (int split = 0; split <= stream.length; split++) {
            LengthFramedParserTest t = new LengthFramedParserTest();
            t.feed(stream, 0, split);
            t.feed(stream, split, stream.length);
            assertEquals(expected, t.toy.events, "split at " + split);
        }
    }

    @Test
    void bothOriginsAreFramedApart() {
        byte[] a = msg("client");
        byte[] b = msg("server");
        feed(Origin.CLIENT, a, 0, 5);
        feed(Origin.SERVER, b, 0, 7);
        feed(Origin.CLIENT, a, 5, a.length);
        feed(Origin.SERVER, b, 7, b.length);
        assertEquals(List.of("M C 0-10 clie cut", "M S 0-10 serv cut"), toy.events);
    }

    @Test
    void aGapInsideTheBodyOnlyShortensTheSkip() {
        byte[] a = msg("abcdefghij");
        byte[] b = msg("xy");
        feed(a, 0, 6); // header and "ab"
        toy.onGap(Origin.CLIENT, 6, 3, sink); // "cde": inside the kept prefix
        feed(a, 9, a.length);
        byte[] rest = concat(a, b);
        feed(rest, a.length, rest.length);
        assertEquals(List.of("M C 0-14 ab cut", "M C 14-20 xy"), toy.events);

        byte[] c = msg("abcdefghij");
        Toy threeWanted = new Toy(false);
        threeWanted.prefix = 3;
        threeWanted.onData(Origin.CLIENT, 0, ByteBuffer.wrap(c, 0, 9), sink);
        threeWanted.onGap(Origin.CLIENT, 9, 5, sink); // after the prefix: it is whole; the gap ends the message
        assertEquals(List.of("M C 0-14 abc"), threeWanted.events);
    }

    @Test
    void aGapPastTheBodyEndsTheMessageReportsTheRestLostAndResyncs() {
        byte[] a = msg("abc");
        feed(a, 0, 5);
        toy.onGap(Origin.CLIENT, 5, 10, sink); // "bc" and 8 more bytes
        byte[] after = concat(new byte[] {'z', 'z'}, msg("ok"));
        byte[] stream = concat(new byte[15], after);
        feed(stream, 15, stream.length);
        assertEquals(List.of("M C 0-7 a cut", "L C 7-15", "M C 17-23 ok"), toy.events);
    }

    @Test
    void aGapBetweenMessagesIsLostAndAnUnknownGapIsNot() {
        byte[] a = msg("a");
        feed(a, 0, a.length);
        toy.onGap(Origin.CLIENT, 5, 100, sink);
        byte[] stream = concat(new byte[105], new byte[] {1, 2, 3}, msg("b"));
        feed(stream, 105, stream.length);
        toy.onGap(Origin.CLIENT, stream.length, -1, sink);
        byte[] more = concat(new byte[stream.length], msg("c"));
        feed(more, stream.length, more.length);
        assertEquals(List.of("M C 0-5 a", "L C 5-105", "M C 108-113 b", "M C 113-118 c"), toy.events);
    }

    @Test
    void aBadHeaderOrAnImpossibleLengthIsMalformedThenTheNextHeaderIsFound() {
        byte[] tooLong = {'L', 'F', 0x7F, (byte) 0xFF};
        byte[] stream = concat(new byte[] {'x', 'y', 'z', 'w'}, msg("a"), tooLong, msg("b"));
        feed(stream, 0, stream.length);
        assertEquals(List.of("X C bad magic", "M C 4-9 a", "X C too long", "M C 13-18 b"), toy.events);
    }

    @Test
    void aBadBodyStartIsMalformedAndTheBodyIsSearchedForTheNextHeader() {
        toy.checkStart = true;
        byte[] inner = msg("ok");
        byte[] bad = concat(new byte[] {'L', 'F', 0, (byte) (1 + inner.length), '!'}, inner);
        feed(bad, 0, bad.length);
        assertEquals(List.of("X C bad start", "M C 5-11 ok"), toy.events);
    }

    @Test
    void datagramsHoldWholeMessages() {
        Toy udp = new Toy(true);
        byte[] two = concat(msg("a"), msg("b"));
        udp.onData(Origin.CLIENT, 0, ByteBuffer.wrap(two), recordingTo(udp));
        byte[] cut = Arrays.copyOf(msg("abc"), 5);
        udp.onData(Origin.CLIENT, 10, ByteBuffer.wrap(cut), recordingTo(udp));
        byte[] garbage = concat(new byte[] {'n', 'o', 'p', 'e'}, msg("c"));
        udp.onData(Origin.CLIENT, 15, ByteBuffer.wrap(garbage), recordingTo(udp));
        udp.onData(Origin.CLIENT, 24, ByteBuffer.wrap(msg("d")), recordingTo(udp));
        assertEquals(List.of("M C 0-5 a", "M C 5-10 b", "X C truncated datagram", "X C bad magic", "M C 24-29 d"),
                udp.events);
    }

    private static MessageSink recordingTo(Toy toy) {
        return new MessageSink() {
            @Override
            public void message(Origin origin, ParsedMessage message, long start, long end) {
                throw new AssertionError();
            }

            @Override
            public void malformed(Origin origin, String reason) {
                toy.events.add("X " + origin.name().charAt(0) + " " + reason);
            }

            @Override
            public void lost(Origin origin, long start, long end) {
                toy.events.add("L " + origin.name().charAt(0) + " " + start + "-" + end);
            }
        };
    }
}
