package org.deeptrace.protocol.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;

class RespParserTest {

    static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static ParserHarness harness() {
        return ParserHarness.open(new RedisProtocol());
    }

    @Test
    void commandAndReply() {
        ParserHarness h = harness().client(cmd("set", "user:1", "alice")).server("+OK\r\n");
        ParsedMessage req = h.requests().get(0).parsed();
        assertEquals("SET", req.requestType());
        assertEquals("SET", req.endpoint());
        assertEquals("user:1", req.requestResource());
        assertEquals(cmd("set", "user:1", "alice").length(), req.size());
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.OK, resp.responseStatus());
        assertEquals(5, resp.size());
    }

    @Test
    void errorReplyCarriesItsMessage() {
        ParserHarness h = harness().client(cmd("LPUSH", "k", "v"))
                .server("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        ParsedMessage resp = h.responses().get(0).parsed();
        assertEquals(ResponseStatus.ERROR, resp.responseStatus());
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", resp.responseException());
        h.server("!21\r\nSYNTAX invalid syntax\r\n");
        assertEquals("SYNTAX invalid syntax", h.responses().get(1).parsed().responseException());
    }

    @Test
    void containerAndKeylessCommands() {
        ParserHarness h = harness().client(cmd("config", "get", "maxmemory") + cmd("CLIENT", "SETNAME", "x")
                + cmd("PING") + cmd("EVAL", "return 1", "0") + cmd("GET", "k"));
        List<ParserHarness.Message> r = h.requests();
        assertEquals(5, r.size());
        assertEquals("CONFIG", r.get(0).parsed().requestType());
        assertEquals("CONFIG GET", r.get(0).parsed().endpoint());
        assertNull(r.get(0).parsed().requestResource());
        assertEquals("CLIENT SETNAME", r.get(1).parsed().endpoint());
        assertNull(r.get(2).parsed().requestResource());
        assertNull(r.get(3).parsed().requestResource(), "a script is not a key");
        assertEquals("k", r.get(4).parsed().requestResource());
    }

    @Test
    void emptyCommandArraysAreSkippedLikeRedisDoes() {
        ParserHarness h = harness().client("*0\r\n*-1\r\n" + cmd("GET", "k"));
        assertEquals(1, h.requests().size());
        assertEquals("GET", h.requests().get(0).parsed().requestType());
        assertEquals(0, h.malformed().size());
    }

    @Test
    void inlineCommands() {
        ParserHarness h = harness().client("PING\r\n\r\nset  inline v\r\nGET k\n");
        List<ParserHarness.Message> r = h.requests();
        assertEquals(3, r.size());
        assertEquals("PING", r.get(0).parsed().requestType());
        assertEquals("SET", r.get(1).parsed().requestType());
        assertEquals("inline", r.get(1).parsed().requestResource());
        assertEquals("k", r.get(2).parsed().requestResource());
        assertEquals(0, h.malformed().size());
    }

    static final String RESP3_REPLIES = "%2\r\n+server\r\n+redis\r\n$5\r\nproto\r\n:3\r\n" // map
            + "~2\r\n+a\r\n+b\r\n" // set
            + "_\r\n" // null
            + ",3.14\r\n" // double
            + "#t\r\n" // boolean
            + "=15\r\ntxt:Some string\r\n" // verbatim
            + "(3492890328409238509324850943850943825024385\r\n" // big number
            + "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039\r\n:9543\r\n" // attribute + array
            + "*3\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n$-1\r\n*-1\r\n" // nested attribute, nulls
            + "*0\r\n";

    @Test
    void resp3RepliesOfEveryType() {
        ParserHarness h = harness().server(RESP3_REPLIES);
        assertEquals(10, h.responses().size(), () -> h.messages().toString());
        assertEquals(0, h.malformed().size());
        for (ParserHarness.Message m : h.responses()) {
            assertEquals(ResponseStatus.OK, m.parsed().responseStatus());
        }
        long total = h.responses().stream().mapToLong(m -> m.parsed().size()).sum();
        assertEquals(RESP3_REPLIES.length(), total);
    }

    @Test
    void pushIsASessionMessage() {
        ParserHarness h = harness().client(cmd("SUBSCRIBE", "news"))
                .server(">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n>3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        List<ParserHarness.Message> s = h.messages(MessageType.SESSION);
        assertEquals(2, s.size());
        assertEquals("message", s.get(1).parsed().requestType());
        assertEquals(0, h.responses().size());
    }

    @Test
    void pipelinedCommandsAndRepliesInOneChunkEach() {
        StringBuilder c = new StringBuilder();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            c.append(cmd("SET", "key:" + i, "v" + i));
            s.append(i % 7 == 0 ? "-ERR no\r\n" : "+OK\r\n");
        }
        ParserHarness h = harness().client(c.toString()).server(s.toString());
        assertEquals(50, h.requests().size());
        assertEquals(50, h.responses().size());
        assertEquals("key:49", h.requests().get(49).parsed().requestResource());
        assertEquals(ResponseStatus.ERROR, h.responses().get(7).parsed().responseStatus());
    }

    @Test
    void splitAtEveryByteGivesTheSameMessages() {
        String client = cmd("SET", "k", "a value") + "PING\r\n" + cmd("MGET", "a", "b");
        String server = "+OK\r\n+PONG\r\n" + RESP3_REPLIES + "-ERR x\r\n";
        ParserHarness whole = harness().client(client).server(server);
        byte[] c = client.getBytes(StandardCharsets.US_ASCII);
        byte[] s = server.getBytes(StandardCharsets.US_ASCII);
        for (int cut = 1; cut < s.length; cut++) {
            ParserHarness h = harness().feedSplit(Origin.CLIENT, c, Math.min(cut, c.length - 1))
                    .feedSplit(Origin.SERVER, s, cut);
            assertEquals(whole.messages(), h.messages(), "cut at " + cut);
        }
        ParserHarness bytewise = harness().feedInChunksOf(Origin.CLIENT, c, 1).feedInChunksOf(Origin.SERVER, s, 1);
        assertEquals(whole.messages(), bytewise.messages());
    }

    @Test
    void gapInsideABulkBodyKeepsTheFraming() {
        String big = "x".repeat(1000);
        String first = cmd("SET", "k", big);
        int cut = first.indexOf(big) + 100;
        ParserHarness h = harness().client(first.substring(0, cut)).gap(Origin.CLIENT, 800)
                .client(first.substring(cut + 800) + cmd("GET", "k"));
        assertEquals(2, h.requests().size());
        assertEquals("k", h.requests().get(0).parsed().requestResource());
        assertEquals(first.length(), h.requests().get(0).parsed().size());
        assertEquals("GET", h.requests().get(1).parsed().requestType());
    }

    @Test
    void gapInsideTheKeyDropsOnlyTheKey() {
        String key = "k".repeat(50);
        String first = cmd("GET", key);
        int cut = first.indexOf(key) + 10;
        ParserHarness h = harness().client(first.substring(0, cut)).gap(Origin.CLIENT, 20)
                .client(first.substring(cut + 20));
        assertEquals("GET", h.requests().get(0).parsed().requestType());
        assertNull(h.requests().get(0).parsed().requestResource());
    }

    @Test
    void gapBetweenMessagesIsLostAndTheParserResyncs() {
        ParserHarness h = harness().client(cmd("GET", "a")).gap(Origin.CLIENT, 40)
                .client("garbage that is not resp\r\n").client(cmd("GET", "b"));
        assertEquals(1, h.lost().size());
        assertEquals(2, h.requests().size());
        assertEquals("b", h.requests().get(1).parsed().requestResource());
        h.server("+OK\r\n").unknownGap(Origin.SERVER).server("$3\r\nabc\r\n");
        assertEquals(2, h.responses().size());
    }

    @Test
    void garbageFromTheServerIsMalformedThenResyncs() {
        ParserHarness h = harness().server("?what\r\n").server("more junk").server("+OK\r\n");
        assertEquals(1, h.malformed().size());
        assertEquals(1, h.responses().size());
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random random = new Random(42);
        byte[] valid = (cmd("SET", "k", "v") + "PING\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] replies = ("+OK\r\n" + RESP3_REPLIES).getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 2000; round++) {
            byte[] c = mutate(valid, random);
            byte[] s = round % 3 == 0 ? random(random, 1 + random.nextInt(300)) : mutate(replies, random);
            ParserHarness h = harness();
            int size = 1 + random.nextInt(16);
            h.feedInChunksOf(Origin.CLIENT, c, size).feedInChunksOf(Origin.SERVER, s, size);
            if (random.nextBoolean()) {
                h.gap(Origin.SERVER, random.nextInt(50)).feed(Origin.SERVER, replies);
            }
            h.close();
            assertTrue(h.messages().size() <= c.length + s.length + replies.length, "at most one message a byte");
        }
    }

    @Test
    void hugeAnnouncedLengthsAreSkippedNotBuffered() {
        ParserHarness h = harness().server("$4294967296\r\n").gap(Origin.SERVER, 4294967296L).server("\r\n+OK\r\n");
        assertEquals(2, h.responses().size());
        ParserHarness deep = harness().server("*1\r\n".repeat(100));
        assertEquals(1, deep.malformed().size());
    }

    /**
     * A reply shaped like {@code COMMAND DOCS}'s (redis-cli sends it at start; 172,298 bytes from Redis 7): a map
     * of commands as a RESP2 array, each command's docs a nested array of name/value pairs. Nothing in it gives a
     * length to skip by across a gap.
     */
    private static String commandDocsReply(int commands) {
        StringBuilder sb = new StringBuilder("*").append(2 * commands).append("\r\n");
        for (int i = 0; i < commands; i++) {
            String name = "command" + i;
            sb.append('$').append(name.length()).append("\r\n").append(name).append("\r\n");
            String summary = "Returns the value of key number " + i + " or nothing when the key does not exist.";
            sb.append("*8\r\n$7\r\nsummary\r\n$").append(summary.length()).append("\r\n").append(summary)
                    .append("\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n")
                    .append("$9\r\narguments\r\n*1\r\n*4\r\n$4\r\nname\r\n$3\r\nkey\r\n")
                    .append("$4\r\ntype\r\n:").append(i).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * Feeds a reply the way the live capture delivers a big one: the server writes it in 16 KiB syscalls, each
     * starting at a value inside it (so each looks like a reply on its own), and the capture keeps the first 4 KiB
     * of each then reports a gap (of known length, or unknown).
     */
    private static int feedCutReply(ParserHarness h, byte[] reply, boolean knownGaps) {
        String text = new String(reply, StandardCharsets.US_ASCII);
        int writes = 0;
        int start = 0;
        while (start < reply.length) {
            int next = text.indexOf("$7\r\nsummary", start + 16 * 1024);
            int end = next < 0 ? reply.length : next;
            int kept = Math.min(4096, end - start);
            h.feed(Origin.SERVER, reply, start, start + kept);
            if (kept < end - start) {
                if (knownGaps) {
                    h.gap(Origin.SERVER, end - start - kept);
                } else {
                    h.unknownGap(Origin.SERVER);
                }
            }
            writes++;
            start = end;
        }
        return writes;
    }

    private static void assertBigReplyIsOneMessageAndPairsStayRight(boolean knownGaps) {
        byte[] reply = commandDocsReply(1200).getBytes(StandardCharsets.US_ASCII);
        assertTrue(reply.length > 150_000, "as big as the real one: " + reply.length);
        ParserHarness h = harness().client(cmd("GET", "a")).server("$1\r\na\r\n").client(cmd("COMMAND", "DOCS"));
        long replyStart = h.offset(Origin.SERVER);
        assertTrue(feedCutReply(h, reply, knownGaps) > 5, "several writes, each cut");
        long after = h.offset(Origin.SERVER); // with unknown gaps the harness counts only the bytes it saw
        h.client(cmd("GET", "b")).server("$2\r\nbb\r\n").client(cmd("PING")).server("+PONG\r\n")
                .client(cmd("GET", "c")).server("$-1\r\n");
        h.close();

        assertEquals(List.of("GET", "COMMAND", "GET", "PING", "GET"),
                h.requests().stream().map(m -> m.parsed().requestType()).toList());
        List<ParserHarness.Message> replies = h.responses();
        assertEquals(5, replies.size(), "one message per real reply: " + replies);
        assertEquals(7, replies.get(0).parsed().size());
        ParserHarness.Message cut = replies.get(1);
        assertEquals(ResponseStatus.UNKNOWN, cut.parsed().responseStatus(), "the cut reply's outcome is not known");
        assertEquals(replyStart, cut.start());
        long firstWrite = new String(reply, StandardCharsets.US_ASCII).indexOf("$7\r\nsummary", 16 * 1024);
        assertEquals(replyStart + (knownGaps ? firstWrite : 4096), cut.end(), "ends at its first gap");
        if (knownGaps) {
            assertEquals(replyStart + reply.length, after);
        }
        assertEquals(after, replies.get(2).start(), "GET b's reply is the one after the cut reply");
        assertEquals(8, replies.get(2).parsed().size());
        assertEquals(ResponseStatus.OK, replies.get(2).parsed().responseStatus());
        assertEquals(after + 8, replies.get(3).start());
        assertEquals(7, replies.get(3).parsed().size());
        assertEquals(after + 15, replies.get(4).start());
        assertEquals(5, replies.get(4).parsed().size());
    }

    @Test
    void replyCutByAKnownGapIsOneTruncatedMessageAndLaterPairsStayRight() {
        assertBigReplyIsOneMessageAndPairsStayRight(true);
    }

    @Test
    void replyCutByAnUnknownGapIsOneTruncatedMessageAndLaterPairsStayRight() {
        assertBigReplyIsOneMessageAndPairsStayRight(false);
    }

    @Test
    void requestCutByAGapIsReportedWithWhatWasRead() {
        String big = cmd("HSET", "h", "f", "v");
        ParserHarness h = harness().client(big.substring(0, 20)).unknownGap(Origin.CLIENT).client(cmd("GET", "k"));
        assertEquals(2, h.requests().size());
        assertEquals("HSET", h.requests().get(0).parsed().requestType());
        assertEquals("h", h.requests().get(0).parsed().requestResource());
        assertEquals(20, h.requests().get(0).end());
        assertEquals("k", h.requests().get(1).parsed().requestResource());
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] random(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
