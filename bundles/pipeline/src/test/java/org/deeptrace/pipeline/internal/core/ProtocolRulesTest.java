package org.deeptrace.pipeline.internal.core;

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
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.junit.jupiter.api.Test;

/** protocols.disabled and protocols.ports, with the real HTTP/1 parser. */
class ProtocolRulesTest {
    static final String SERVER = "10.0.0.2:8080";
    static final String CLIENT = "10.0.0.1:5555";
    static final String REQUEST = "GET /a HTTP/1.1\r\nHost: svc\r\n\r\n";
    static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    final Counters counters = new Counters();
    final List<Span> spans = new ArrayList<>();
    final List<L7Message> messages = new ArrayList<>();
    final Http1Protocol http1 = new Http1Protocol();
    final LineProtocol line = new LineProtocol();

    Pipeline pipeline(ProtocolRules rules) {
        Pipeline p = new Pipeline(ParserCatalog.of(List.<ProtocolParser>of(http1, line)), () -> null,
                PipelineSettings.defaults("test-host"), counters, messages::add, spans::addAll);
        p.setProtocolRules(rules);
        return p;
    }

    static ProtocolRules disable(String... names) {
        return ProtocolRules.of(List.of(names), List.of(), "test.cfg");
    }

    static ProtocolRules pin(Transport l4, int port, String protocol) {
        return ProtocolRules.of(List.of(), List.of(new ProtocolRules.Pin(l4, port, protocol, port + "=" + protocol)),
                "test.cfg");
    }

    static CaptureRecord rec(long ts, Direction d, String local, String remote, long seq, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return new CaptureRecord(ts, CaptureRecord.ABSENT, 42, 7, "svc", 3, d == Direction.INGRESS ? "read" : "write",
                d, Transport.TCP, local, remote, seq, b.length, ByteBuffer.wrap(b), false);
    }

    static CaptureRecord datagram(long ts, Direction d, String local, String remote, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return new CaptureRecord(ts, CaptureRecord.ABSENT, 42, 7, "dns", 3, d == Direction.INGRESS ? "recvfrom" : "sendto",
                d, Transport.UDP, local, remote, CaptureRecord.ABSENT, b.length, ByteBuffer.wrap(b), false);
    }

    /** One HTTP exchange on the server's connection from {@code client}; sequence numbers from {@code seq}. */
    static void exchange(Pipeline p, long ts, String client, long seq, long serverSeq) {
        p.accept(rec(ts, Direction.INGRESS, SERVER, client, seq, REQUEST));
        p.accept(rec(ts + 10, Direction.EGRESS, SERVER, client, serverSeq, RESPONSE));
    }

    @Test
    void aDisabledProtocolIsNeverInferredWhateverTheCaseOfItsName() {
        Pipeline p = pipeline(disable("http1"));
        exchange(p, 100, CLIENT, 1000, 5000);
        p.finish();
        assertTrue(spans.isEmpty());
        assertEquals(0, counters.get("connections.HTTP1"));
        assertEquals(REQUEST.length() + RESPONSE.length(), counters.get("bytes.unparsed"));
    }

    @Test
    void disablingAProtocolAtRunTimeMovesItsConnectionsBackToInference() {
        Pipeline p = pipeline(ProtocolRules.NONE);
        exchange(p, 100, CLIENT, 1000, 5000);
        p.setProtocolRules(disable("HTTP1", "THRIFT"));
        exchange(p, 200, CLIENT, 1000 + REQUEST.length(), 5000 + RESPONSE.length());
        p.setProtocolRules(ProtocolRules.NONE);
        exchange(p, 300, "10.0.0.1:6666", 1, 1); // a new connection: HTTP1 is a candidate again
        p.finish();

        assertEquals(1, counters.get("connections.parser_disabled"));
        assertEquals(List.of(100L, 300L), spans.stream().map(Span::startNs).toList());
        assertEquals(2, counters.get("connections.HTTP1"));
    }

    @Test
    void aPinnedPortUsesItsParserWithoutInference() {
        // The first chunk, a lone "G", is no evidence: inference cannot accept it alone, keeps it, and judges it
        // with the rest of the line (live capture gives one record per read()).
        Pipeline inferred = pipeline(ProtocolRules.NONE);
        split(inferred);
        inferred.finish();
        assertEquals(1, spans.size());
        assertEquals(100, spans.get(0).startNs(), "the request starts with the record of the lone \"G\"");
        assertEquals(0, counters.get("connections.pinned"));
        spans.clear();

        Pipeline pinned = pipeline(pin(Transport.TCP, 8080, "http1"));
        split(pinned);
        pinned.finish();
        assertEquals(1, spans.size());
        assertEquals("/a", spans.get(0).endpoint());
        assertEquals(SpanKind.SERVER, spans.get(0).kind(), "the pinned port is the server's");
        assertEquals(1, counters.get("connections.pinned"));
    }

    private static void split(Pipeline p) {
        p.accept(rec(100, Direction.INGRESS, SERVER, CLIENT, 1000, "G"));
        p.accept(rec(110, Direction.INGRESS, SERVER, CLIENT, 1001, REQUEST.substring(1)));
        p.accept(rec(120, Direction.EGRESS, SERVER, CLIENT, 5000, RESPONSE));
    }

    @Test
    void theClientsViewOfAPinnedPortMakesAClientSpan() {
        Pipeline p = pipeline(pin(Transport.TCP, 8080, "HTTP1"));
        // This process is the client: its local port is ephemeral, the remote one pinned.
        p.accept(rec(100, Direction.EGRESS, CLIENT, SERVER, 1000, REQUEST));
        p.accept(rec(110, Direction.INGRESS, CLIENT, SERVER, 5000, RESPONSE));
        p.finish();
        assertEquals(1, spans.size());
        assertEquals(SpanKind.CLIENT, spans.get(0).kind());
    }

    @Test
    void onAPinnedPortParseErrorsAreCountedAndThePinKept() {
        Pipeline pinned = pipeline(pin(Transport.TCP, 8080, "HTTP1"));
        badThenGood(pinned);
        pinned.finish();
        assertEquals(1, counters.get("connections.pinned_parse_errors"));
        assertEquals(0, counters.get("connections.reinferred"));
        assertTrue(spans.stream().anyMatch(s -> "/good".equals(s.endpoint())), "the pinned parser still parses");
    }

    @Test
    void withoutAPinRepeatedParseErrorsReviseTheInference() {
        Pipeline p = pipeline(ProtocolRules.NONE);
        badThenGood(p);
        p.finish();
        assertEquals(1, counters.get("connections.reinferred"));
        assertEquals(1, counters.get("connections.reinferred_from.HTTP1"));
        assertEquals(0, counters.get("connections.pinned_parse_errors"));
        assertTrue(spans.stream().anyMatch(s -> "/good".equals(s.endpoint())), "inferred anew from the next request");
    }

    /** Three requests whose header section does not parse, in a row, then a good exchange. */
    private static void badThenGood(Pipeline p) {
        long seq = 1000;
        for (int i = 0; i < 3; i++) {
            String bad = "GET /bad HTTP/1.1\r\nHost: svc\r\nno colon in this header line\r\n\r\n";
            p.accept(rec(100 + i, Direction.INGRESS, SERVER, CLIENT, seq, bad));
            seq += bad.length();
        }
        String good = "GET /good HTTP/1.1\r\nHost: svc\r\n\r\n";
        p.accept(rec(200, Direction.INGRESS, SERVER, CLIENT, seq, good));
        p.accept(rec(210, Direction.EGRESS, SERVER, CLIENT, 5000, RESPONSE));
    }

    @Test
    void pinningAProtocolThatIsNotInstalledFallsBackToInference() {
        Pipeline p = pipeline(pin(Transport.TCP, 8080, "grpc"));
        exchange(p, 100, CLIENT, 1000, 5000);
        exchange(p, 200, "10.0.0.1:6666", 1, 1);
        p.finish();
        assertEquals(2, spans.size());
        assertEquals(2, counters.get("connections.pinned_unavailable"));
        assertEquals(0, counters.get("connections.pinned"));
    }

    @Test
    void aPinnedDisabledProtocolIsNotUsed() {
        ProtocolRules rules = ProtocolRules.of(List.of("HTTP1"),
                List.of(new ProtocolRules.Pin(Transport.TCP, 8080, "HTTP1", "8080=HTTP1")), "test.cfg");
        Pipeline p = pipeline(rules);
        exchange(p, 100, CLIENT, 1000, 5000);
        p.finish();
        assertTrue(spans.isEmpty());
        assertEquals(1, counters.get("connections.pinned_unavailable"));
        assertTrue(rules.problems(List.of(http1)).get(0).contains("is disabled"), rules.problems(List.of(http1)).toString());
    }

    @Test
    void udpPinsMatchEitherEndAndTheTransportMustMatch() {
        Pipeline p = pipeline(pin(Transport.UDP, 15353, "LINE"));
        // "Q" is not LINE to inference; the pin makes it a (malformed) LINE datagram, then a good one.
        p.accept(datagram(100, Direction.EGRESS, "10.0.0.1:40000", "10.0.0.5:15353", "REQ /q\n"));
        p.accept(datagram(110, Direction.INGRESS, "10.0.0.1:40000", "10.0.0.5:15353", "RES 200\n"));
        p.accept(datagram(120, Direction.INGRESS, "10.0.0.5:15353", "10.0.0.1:40001", "REQ /r\n"));
        p.accept(datagram(130, Direction.EGRESS, "10.0.0.5:15353", "10.0.0.1:40001", "RES 200\n"));
        // TCP on the same port number is not pinned.
        p.accept(rec(140, Direction.INGRESS, "10.0.0.5:15353", CLIENT, 1, REQUEST));
        p.finish();
        assertEquals(2, counters.get("connections.pinned"));
        assertEquals(List.of(SpanKind.CLIENT, SpanKind.SERVER, SpanKind.SERVER),
                spans.stream().sorted(java.util.Comparator.comparingLong(Span::startNs)).map(Span::kind).toList());
    }

    @Test
    void problemsNameTheFileTheKeyAndTheValue() {
        ProtocolRules rules = ProtocolRules.of(List.of("thrift"),
                List.of(new ProtocolRules.Pin(Transport.TCP, 9090, "grpc", "9090=grpc")),
                "/opt/deeptrace/etc/org.deeptrace.pipeline.cfg");
        assertEquals(List.of(
                "/opt/deeptrace/etc/org.deeptrace.pipeline.cfg: protocols.disabled names 'thrift', which no installed"
                        + " protocol plugin has (installed: HTTP1, LINE)",
                "/opt/deeptrace/etc/org.deeptrace.pipeline.cfg: protocols.ports = '9090=grpc': no protocol plugin named"
                        + " 'grpc' is installed (installed: HTTP1, LINE); connections on port 9090 are inferred"),
                rules.problems(List.of(http1, line)));
    }
}
