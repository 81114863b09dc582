package org.deeptrace.protocol.http2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.deeptrace.protocol.redis.internal.RedisProtocol;
import org.junit.jupiter.api.Test;

/**
 * A connection first inferred wrongly is revised when its parser keeps failing. The bytes: the POP3 session of
 * RFC 1939 section 10 (the server speaks first; "+OK POP3 server ready" is a plausible RESP simple-string reply,
 * so the connection is first taken for Redis), through the real pipeline with the HTTP/1, HTTP/2 and Redis parsers.
 */
class InferenceRevisionTest {
    static final String SERVER = "192.0.2.10:110";
    static final String CLIENT = "192.0.2.20:40110";

    /** RFC 1939 section 10, one capture record per line group the server or the client writes at once. */
    static final String[][] POP3 = {
        {"S", "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"},
        {"C", "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"},
        {"S", "+OK mrose's maildrop has 2 messages (320 octets)\r\n"},
        {"C", "STAT\r\n"},
        {"S", "+OK 2 320\r\n"},
        {"C", "LIST\r\n"},
        {"S", "+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n"},
        {"C", "RETR 1\r\n"},
        {"S", "+OK 120 octets\r\nFrom: mrose@dbc.mtview.ca.us\r\nTo: alice@example.org\r\nSubject: one\r\n\r\n"
                + "the first message\r\n.\r\n"},
        {"C", "DELE 1\r\n"},
        {"S", "+OK message 1 deleted\r\n"},
        {"C", "RETR 2\r\n"},
        {"S", "+OK 200 octets\r\nFrom: mrose@dbc.mtview.ca.us\r\nTo: alice@example.org\r\nSubject: two\r\n\r\n"
                + "the second message\r\n.\r\n"},
        {"C", "DELE 2\r\n"},
        {"S", "+OK message 2 deleted\r\n"},
        {"C", "QUIT\r\n"},
        {"S", "+OK dewey POP3 server signing off (maildrop empty)\r\n"},
    };

    final Counters counters = new Counters();
    final List<Span> spans = new ArrayList<>();
    final List<L7Message> messages = new ArrayList<>();

    @Test
    void pop3FirstTakenForRedisIsRevisedAndThenLeftUnparsed() {
        Pipeline p = new Pipeline(ParserCatalog.of(List.<ProtocolParser>of(new Http1Protocol(), new Http2Protocol(),
                new RedisProtocol())), () -> null, PipelineSettings.defaults("test"), counters, messages::add,
                spans::addAll);
        long[] seq = {1000, 9000};
        long ts = 1_000_000;
        for (String[] line : POP3) {
            boolean server = line[0].equals("S");
            byte[] b = line[1].getBytes(StandardCharsets.US_ASCII);
            Direction d = server ? Direction.EGRESS : Direction.INGRESS;
            p.accept(new CaptureRecord(ts += 1000, CaptureRecord.ABSENT, 7, 7, "pop3d", 4, server ? "write" : "read",
                    d, Transport.TCP, SERVER, CLIENT, seq[server ? 1 : 0], b.length, ByteBuffer.wrap(b), false));
            seq[server ? 1 : 0] += b.length;
        }
        p.finish();

        assertEquals(1, counters.get("connections.Redis"), "first inferred as Redis (0.5: a plausible reply)");
        assertEquals(1, counters.get("connections.reinferred"), "revised once");
        assertEquals(1, counters.get("connections.reinferred_from.Redis"));
        assertEquals(1, counters.get("parse.malformed.Redis.unknown_type"), "at the first line that is not RESP");
        // Revised at the LIST response, the 7th message: nothing after it is taken for Redis again.
        assertEquals(7, messages.size());
        assertEquals(7, counters.get("messages.Redis"));
        String rest = String.join("", java.util.Arrays.stream(POP3).skip(7).map(l -> l[1]).toList());
        assertEquals(rest.length(), counters.get("bytes.unparsed"), "after the revision nothing claims the POP3 bytes");
        assertEquals(0, counters.get("connections.HTTP1") + counters.get("connections.HTTP2"));
    }
}
