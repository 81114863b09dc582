package org.deeptrace.protocol.http2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.Span;
import org.deeptrace.capture.pcap.internal.PcapInput;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.deeptrace.testkit.pcap.GoldenPcap;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 {@code Upgrade: h2c} (RFC 7540 section 3.2) between curl and Jetty 12, recorded on loopback by
 * src/test/recording/record-h2c-upgrade.sh, through the real pipeline with the HTTP/1 and HTTP/2 parsers: the
 * upgrade request and the 101 are HTTP/1 messages, the rest of each connection is parsed by the HTTP/2 parser, and
 * the response on stream 1 answers the upgrade request.
 */
class Http2UpgradeGoldenTest {
    static final String PCAP = "/http2/h2c-upgrade.pcap";

    @Test
    void curlUpgradesToH2cAgainstJetty() throws Exception {
        GoldenPcap g = replay(PCAP);

        List<String> kinds = g.messages.stream()
                .map(m -> m.parsed().protocol() + " " + m.parsed().type() + " "
                        + (m.parsed().type() == MessageType.REQUEST ? m.parsed().endpoint() : m.parsed().responseCode()))
                .toList();
        assertEquals(List.of(
                "HTTP1 REQUEST /hello", "HTTP1 SESSION 101", "HTTP2 RESPONSE 200",
                "HTTP1 REQUEST /first", "HTTP1 SESSION 101", "HTTP2 RESPONSE 200",
                "HTTP2 REQUEST /missing", "HTTP2 RESPONSE 404", "HTTP2 REQUEST /third", "HTTP2 RESPONSE 200",
                "HTTP1 REQUEST /plain", "HTTP1 RESPONSE 200"), kinds);

        // The first HTTP/2 response is stream 1, the answer to the request that asked for the upgrade.
        L7Message firstH2 = g.messages.get(2);
        assertEquals(1L, firstH2.parsed().requestId());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", g.messages.get(0).parsed().traceId());
        assertEquals("up-1", g.messages.get(0).parsed().xRequestId());
        assertEquals(3L, g.messages.get(6).parsed().requestId());

        // Spans: the upgraded request ends with its HTTP/2 response, not with the 101.
        assertEquals(5, g.spans.size(), "the server span of each of 5 exchanges: " + g.spans);
        Span hello = g.spans.stream().filter(s -> "/hello".equals(s.endpoint())).findFirst().orElseThrow();
        assertEquals(200, hello.responseCode());
        assertEquals("HTTP1", hello.protocol(), "the span is the request's");
        assertEquals(firstH2.tsNs(), hello.endNs(), "it ends with the HTTP/2 response on stream 1");
        Span missing = g.spans.stream().filter(s -> "/missing".equals(s.endpoint())).findFirst().orElseThrow();
        assertEquals(404, missing.responseCode());

        assertEquals(2, g.counter("connections.switched.HTTP1_to_HTTP2"));
        assertEquals(0, g.counter("connections.switch_missed_bytes"));
        assertEquals(0, g.counter("exchanges.unmatched_responses"));
        assertEquals(Map.of(), g.countersStartingWith("parse.malformed"));
        assertNull(g.spans.stream().filter(s -> s.responseCode() == null).findFirst().orElse(null),
                "every request has its response");
        g.assertMatchesGolden(PCAP);
    }

    /** Like GoldenPcap.replay, with both HTTP parsers installed. */
    static GoldenPcap replay(String resource) throws Exception {
        GoldenPcap g = new GoldenPcap();
        Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(new Http1Protocol(), new Http2Protocol())),
                () -> null, PipelineSettings.defaults("golden"), g.counters, g.messages::add, g.spans::addAll);
        new PcapInput().read(GoldenPcap.path(resource), new ReadOptions(false), r -> {
            pipeline.accept(r);
            return true;
        });
        pipeline.finish();
        return g;
    }
}
