package org.deeptrace.capture.pcap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded pcap through the real pipeline: messages name their sender and receiver, spans the server side. */
class PcapReplayTest {
    private static final String CLIENT = "10.0.0.1";
    private static final String SERVER = "10.0.0.2";

    @TempDir
    Path tmp;

    private final List<L7Message> messages = new ArrayList<>();
    private final List<Span> spans = new ArrayList<>();
    private final Counters counters = new Counters();

    private void replay(Path file) throws Exception {
        Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol())), () -> null,
                PipelineSettings.defaults("test"), counters, messages::add, spans::addAll);
        new PcapInput().read(file, new ReadOptions(false), r -> {
            pipeline.accept(r);
            return true;
        });
        pipeline.finish();
    }

    @Test
    void segmentsOutOfOrderRetransmittedAndMissingAreReassembledByTcpSequence() throws Exception {
        String request = "GET /first HTTP/1.1\r\nHost: example\r\n\r\n";
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789";
        String request2 = "GET /second HTTP/1.1\r\nHost: example\r\n\r\n";
        String response2 = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        long c = 1000; // client's first data sequence number
        long s = 90000;
        int cut1 = 10;
        int cut2 = 25;
        byte[][] frames = {
            seg(CLIENT, 40000, SERVER, 8080, c - 1, Frames.SYN, ""),
            seg(CLIENT, 40000, SERVER, 8080, c + cut1, Frames.PSH_ACK, request.substring(cut1, cut2)), // early
            seg(CLIENT, 40000, SERVER, 8080, c, Frames.PSH_ACK, request.substring(0, cut1)),
            seg(CLIENT, 40000, SERVER, 8080, c, Frames.PSH_ACK, request.substring(0, cut1)), // retransmitted
            seg(CLIENT, 40000, SERVER, 8080, c + cut2, Frames.PSH_ACK, request.substring(cut2)),
            seg(SERVER, 8080, CLIENT, 40000, s, Frames.PSH_ACK, response.substring(0, 40)),
            // response bytes [40, 50) never captured: a gap inside the Content-Length body
            seg(SERVER, 8080, CLIENT, 40000, s + 50, Frames.PSH_ACK, response.substring(50)),
            seg(CLIENT, 40000, SERVER, 8080, c + request.length(), Frames.PSH_ACK, request2),
            seg(SERVER, 8080, CLIENT, 40000, s + response.length(), Frames.PSH_ACK, response2),
        };
        long[] ts = new long[frames.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 1_000_000L * (i + 1);
        }
        replay(Files.write(tmp.resolve("reorder.pcap"), Frames.classicPcap(false, true, 1, 65535, ts, frames)));

        assertEquals(4, messages.size(), messages::toString);
        assertEquals("/first", messages.get(0).parsed().requestResource());
        assertEquals(3_000_000L, messages.get(0).tsNs(), "the request's first byte arrived in the third frame");
        assertEquals(request.length(), messages.get(0).parsed().size());
        assertEquals("10.0.0.1:40000", messages.get(0).src());
        // The response waits for its missing bytes (until the pipeline declares them lost), so the second
        // request is reported before it.
        List<L7Message> responses = messages.stream().filter(m -> m.parsed().type() == MessageType.RESPONSE).toList();
        assertEquals(response.length(), responses.get(0).parsed().size(), "the gap kept the framing");
        assertEquals(Integer.valueOf(200), responses.get(0).parsed().responseCode());
        assertEquals(Integer.valueOf(404), responses.get(1).parsed().responseCode());
        assertEquals("/second", messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST)
                .toList().get(1).parsed().requestResource());
        assertEquals(2, spans.size());
        assertEquals(1, counters.get("stream.duplicates"));
        assertEquals(1, counters.get("stream.gaps"));
    }

    private static byte[] seg(String src, int srcPort, String dst, int dstPort, long seq, int flags, String text) {
        return Frames.ethernet(Frames.ipv4Tcp(src, srcPort, dst, dstPort, seq, flags, text));
    }

    @Test
    void messagesAndSpansOfARecordedCapture() throws Exception {
        List<L7Message> messages = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol())), () -> null,
                PipelineSettings.defaults("test"), new Counters(), messages::add, spans::addAll);
        new PcapInput().read(PcapInputTest.resource("http-lo-ethernet.pcap"), new ReadOptions(false),
                r -> {
                    pipeline.accept(r);
                    return true;
                });
        pipeline.finish();

        assertEquals(6, messages.size(), messages::toString);
        L7Message request = messages.get(0);
        assertEquals(MessageType.REQUEST, request.parsed().type());
        assertEquals("127.0.0.1:56764", request.src());
        assertEquals("127.0.0.1:18080", request.dst());
        assertEquals(1795623246314308000L, request.tsNs());
        L7Message response = messages.get(1);
        assertEquals("127.0.0.1:18080", response.src());
        assertEquals("127.0.0.1:56764", response.dst());
        assertEquals(Integer.valueOf(404), messages.get(3).parsed().responseCode());
        assertEquals("[::1]:18080", messages.get(5).src());

        assertEquals(3, spans.size());
        for (Span s : spans) {
            assertEquals(SpanKind.SERVER, s.kind());
            assertEquals(0, s.tgid());
            assertNull(s.parentSpanId());
        }
        Span first = spans.stream().filter(s -> s.startNs() == 1795623246314308000L).findFirst().orElseThrow();
        assertEquals("127.0.0.1:18080", first.local());
        assertEquals("127.0.0.1:56764", first.remote());
        assertEquals(1795623246319399000L, first.endNs(), "ends with the response's last segment");
    }
}
