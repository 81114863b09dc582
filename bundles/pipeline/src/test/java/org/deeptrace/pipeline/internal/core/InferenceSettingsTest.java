package org.deeptrace.pipeline.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;

/**
 * Settings applied to a running pipeline ({@link Pipeline#apply}, {@link Pipeline#setProtocolRules}): the inference
 * threshold reaches new connections and those still without a protocol, also those inference had given up on;
 * connections with a protocol keep it.
 */
class InferenceSettingsTest {
    static final String SERVER = "10.0.0.2:7000";

    final Counters counters = new Counters();
    final List<Span> spans = new ArrayList<>();
    final List<L7Message> messages = new ArrayList<>();

    Pipeline pipeline(double minConfidence, ProtocolParser... parsers) {
        PipelineSettings d = PipelineSettings.defaults("test-host");
        return new Pipeline(ParserCatalog.of(List.of(parsers)), () -> null,
                new PipelineSettings(d.host(), d.windowNs(), d.graceNs(), d.reorderNs(), d.idleNs(), minConfidence),
                counters, messages::add, spans::addAll);
    }

    static PipelineSettings withMinConfidence(Pipeline p, double minConfidence) {
        PipelineSettings s = p.settings();
        return new PipelineSettings(s.host(), s.windowNs(), s.graceNs(), s.reorderNs(), s.idleNs(), minConfidence);
    }

    @Test
    void loweringTheThresholdDecidesAnUndecidedConnectionOnItsNextBytes() {
        Pipeline p = pipeline(0.5, new ScoredProtocol("WEAK", 0.4));
        Conversation c = new Conversation(p, "10.0.0.1:5001");
        c.exchange(100, "/a");
        assertEquals(0, messages.size(), "0.4 is below the threshold of 0.5");

        assertTrue(p.apply(withMinConfidence(p, 0.3)));
        assertEquals(0.3, p.settings().minConfidence());
        c.exchange(200, "/b");
        new Conversation(p, "10.0.0.1:5002").exchange(300, "/c");
        p.finish();

        // "/a" was still kept undecided (its bytes are judged with the next ones): it is parsed too.
        assertEquals(List.of("/a", "/b", "/c"), requests());
        assertEquals(2, counters.get("connections.WEAK"));
    }

    @Test
    void raisingTheThresholdLeavesDecidedConnectionsTheirProtocol() {
        Pipeline p = pipeline(0.5, new ScoredProtocol("LINE", 0.9));
        Conversation decided = new Conversation(p, "10.0.0.1:5001");
        decided.exchange(100, "/a");

        assertTrue(p.apply(withMinConfidence(p, 0.95)));
        decided.exchange(200, "/b");
        new Conversation(p, "10.0.0.1:5002").exchange(300, "/new");
        p.finish();

        assertEquals(List.of("/a", "/b"), endpoints(), "the new connection's 0.9 is below 0.95 now");
        assertEquals(1, counters.get("connections.LINE"));
    }

    @Test
    void aConnectionInferenceHadGivenUpOnIsJudgedAgainUnderANewThreshold() {
        Pipeline p = pipeline(0.5, new ScoredProtocol("WEAK", 0.4));
        Conversation c = new Conversation(p, "10.0.0.1:5001");
        for (int i = 0; i < Connection.MAX_INFERENCE_ATTEMPTS; i++) {
            c.exchange(100 + i, "/early" + i);
        }
        assertEquals(1, counters.get("connections.unknown_protocol"));

        // Applying the same values again is no change: the connection stays given up on.
        assertFalse(p.apply(p.settings()));
        c.exchange(200, "/same");
        assertEquals(0, messages.size());

        assertTrue(p.apply(withMinConfidence(p, 0.4)), "0.4 is accepted: the threshold is inclusive");
        c.exchange(300, "/late");
        p.finish();
        assertEquals(List.of("/late"), endpoints());
    }

    @Test
    void changedProtocolRulesAlsoGiveAGivenUpConnectionAnotherChanceButEqualOnesDoNot() {
        Pipeline p = pipeline(0.5, new ScoredProtocol("LINE", 0.9));
        p.setProtocolRules(ProtocolRules.of(List.of("line"), List.of(), "test.cfg"));
        Conversation c = new Conversation(p, "10.0.0.1:5001");
        for (int i = 0; i < Connection.MAX_INFERENCE_ATTEMPTS; i++) {
            c.exchange(100 + i, "/early" + i);
        }
        p.setProtocolRules(ProtocolRules.of(List.of("LINE"), List.of(), "test.cfg")); // the same rules
        c.exchange(200, "/same");
        assertEquals(0, messages.size());

        p.setProtocolRules(ProtocolRules.NONE);
        c.exchange(300, "/enabled");
        p.finish();
        assertEquals(List.of("/enabled"), endpoints());
    }

    @Test
    void windowGraceAndReorderApplyButTheHostStays() {
        Pipeline p = pipeline(0.5, new ScoredProtocol("LINE", 0.9));
        PipelineSettings s = p.settings();
        assertTrue(p.apply(new PipelineSettings("other-host", 250 * PipelineSettings.MS, 0, 20 * PipelineSettings.MS,
                s.idleNs(), s.minConfidence())));
        assertEquals(new PipelineSettings("test-host", 250 * PipelineSettings.MS, 0, 20 * PipelineSettings.MS,
                s.idleNs(), 0.5), p.settings());

        // Out-of-order bytes wait for the missing ones up to the reorder wait, now 20 ms instead of 200.
        Conversation c = new Conversation(p, "10.0.0.1:5001");
        c.request(1_000_000, "/a");
        p.accept(c.record(2_000_000, Direction.INGRESS, c.clientSeq + 5, "REQ /late\n"));
        p.tick(2_000_000 + 30 * PipelineSettings.MS);
        assertEquals(1, counters.get("stream.gaps"), "declared lost after 20 ms");
    }

    private List<String> requests() {
        return messages.stream().filter(m -> m.parsed().type() == org.deeptrace.api.model.MessageType.REQUEST)
                .map(m -> m.parsed().endpoint()).toList();
    }

    private List<String> endpoints() {
        return spans.stream().map(Span::endpoint).toList();
    }

    /** One client connection to {@link #SERVER}, seen by the server process. */
    static final class Conversation {
        final Pipeline pipeline;
        final String client;
        long clientSeq = 1000;
        long serverSeq = 5000;

        Conversation(Pipeline pipeline, String client) {
            this.pipeline = pipeline;
            this.client = client;
        }

        void exchange(long ts, String endpoint) {
            request(ts, endpoint);
            String res = "RES 200\n";
            pipeline.accept(record(ts + 1, Direction.EGRESS, serverSeq, res));
            serverSeq += res.length();
        }

        void request(long ts, String endpoint) {
            String req = "REQ " + endpoint + "\n";
            pipeline.accept(record(ts, Direction.INGRESS, clientSeq, req));
            clientSeq += req.length();
        }

        CaptureRecord record(long ts, Direction d, long seq, String text) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            return new CaptureRecord(ts, CaptureRecord.ABSENT, 42, 7, "svc", 3,
                    d == Direction.INGRESS ? "read" : "write", d, Transport.TCP, SERVER, client, seq, b.length,
                    ByteBuffer.wrap(b), false);
        }
    }
}
