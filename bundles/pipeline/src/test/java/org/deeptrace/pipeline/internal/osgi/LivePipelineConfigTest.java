package org.deeptrace.pipeline.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.deeptrace.api.capture.CaptureSink;
import org.deeptrace.api.capture.CaptureSource;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.deeptrace.pipeline.internal.core.ProtocolRules;
import org.deeptrace.pipeline.internal.core.ScoredProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live pipeline (its worker thread, a capture source, the plugin registry) taking configuration changes while it
 * runs, as ConfigAdmin delivers them from etc/org.deeptrace.pipeline.cfg.
 */
class LivePipelineConfigTest {
    static final String FILE = "/opt/deeptrace/etc/org.deeptrace.pipeline.cfg";
    static final long WAIT_MS = 10_000;

    final PluginRegistry registry = new PluginRegistry();
    final LivePipeline live = new LivePipeline(registry);
    final Source source = new Source();
    boolean activated;

    @AfterEach
    void stop() {
        if (activated) {
            live.deactivate();
        }
    }

    void activate(Map<String, Object> properties) {
        live.activate(null, properties);
        activated = true;
        live.addSource(source);
    }

    static Map<String, Object> config(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("felix.fileinstall.filename", "file:" + FILE);
        m.put("host", "test-host");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void aLoweredMinConfidenceReachesARunningPipelinesUndecidedConnection() throws Exception {
        registry.addParser(new ScoredProtocol("WEAK", 0.4), null);
        activate(config("min.confidence", "0.5"));
        source.exchange("/a");
        await(() -> counter("records.in") == 2, "the first exchange is processed");
        assertEquals(0, counter("messages.LINE"), "0.4 is below 0.5");

        live.modified(config("min.confidence", "0.3"));
        assertEquals(0.3, live.settings().pipeline().minConfidence());
        // The worker applies a change at its next tick: send until the connection is decided.
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (counter("messages.LINE") == 0 && System.currentTimeMillis() < deadline) {
            source.exchange("/next");
            Thread.sleep(50);
        }
        assertTrue(counter("messages.LINE") > 0, "the undecided connection was decided under 0.3");
        assertEquals(1, counter("connections.WEAK"));
    }

    @Test
    void aBadMinConfidenceIsRejectedAndThePreviousValueStays() {
        activate(config("min.confidence", "0.3"));
        LivePipeline.Settings before = live.settings();
        live.modified(config("min.confidence", "1.5", "window.ms", "250"));
        assertEquals(before, live.settings(), "the whole change is rejected: window.ms stays too");
        live.modified(config("min.confidence", "high"));
        assertEquals(0.3, live.settings().pipeline().minConfidence());
        live.modified(config("min.confidence", "0.7"));
        assertEquals(0.7, live.settings().pipeline().minConfidence());
    }

    @Test
    void aPinToAMissingProtocolIsWarnedAtBootCountedInTheStatusAndClearedWhenThePluginArrives() {
        registry.addParser(new ScoredProtocol("Redis", 0.9), null);
        activate(config("protocols.ports", "9090=HTTP2, 6380=Redis"));

        Map<String, Long> counters = live.status().counters();
        assertEquals(1L, counters.get(LivePipeline.PINS_UNRESOLVED));
        assertEquals(1L, counters.get(LivePipeline.PINS_UNRESOLVED + ".9090/tcp=HTTP2"));
        await(() -> !live.outstandingRuleProblems().isEmpty(), "the pin is warned about at boot, without traffic");
        assertEquals(List.of("9090=HTTP2"), values(live.outstandingRuleProblems()));

        ScoredProtocol http2 = new ScoredProtocol("HTTP2", 0.9);
        registry.addParser(http2, null);
        assertEquals(0L, live.status().counters().get(LivePipeline.PINS_UNRESOLVED));
        assertNull(live.status().counters().get(LivePipeline.PINS_UNRESOLVED + ".9090/tcp=HTTP2"));
        await(() -> live.outstandingRuleProblems().isEmpty(), "the warning clears when the plugin is installed");

        registry.removeParser(http2);
        assertEquals(1L, live.status().counters().get(LivePipeline.PINS_UNRESOLVED));
        await(() -> !live.outstandingRuleProblems().isEmpty(), "uninstalling the plugin warns its pin again");
    }

    @Test
    void theHostAndTheQueueCapacitiesAreReportedAsApplyingAtTheNextStart() {
        activate(config());
        LivePipeline.Settings before = live.settings();
        live.modified(config("host", "elsewhere", "queue.capacity", "10", "min.confidence", "0.6"));
        assertEquals(List.of("host (live spans keep host test-host; replays use the new one)",
                "queue.capacity (the queue keeps 65536)"),
                LivePipeline.restartOnlyChanges(before, live.settings(), "test-host", 65536));
        live.modified(config("queue.capacity", "65536"));
        assertEquals(List.of(), LivePipeline.restartOnlyChanges(before, live.settings(), "test-host", 65536),
                "back to what the pipeline runs with");
        assertEquals("test-host", live.status().host(), "the status shows the host the spans carry");
        assertNull(live.status().counters().get(LivePipeline.PINS_UNRESOLVED), "no pins, no pin counter");
    }

    private static List<String> values(List<ProtocolRules.Problem> problems) {
        return problems.stream().map(ProtocolRules.Problem::value).toList();
    }

    private long counter(String name) {
        return live.status().counters().getOrDefault(name, 0L);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("not within " + WAIT_MS + " ms: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** A capture source the test feeds: one server connection of a line protocol. */
    static final class Source implements CaptureSource {
        private volatile CaptureSink sink;
        private long clientSeq = 1000;
        private long serverSeq = 5000;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void start(CaptureSink sink) {
            this.sink = sink;
        }

        @Override
        public void stop() {
            sink = null;
        }

        void exchange(String endpoint) {
            String req = "REQ " + endpoint + "\n";
            send(Direction.INGRESS, clientSeq, req);
            clientSeq += req.length();
            String res = "RES 200\n";
            send(Direction.EGRESS, serverSeq, res);
            serverSeq += res.length();
        }

        private void send(Direction d, long seq, String text) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            sink.accept(new CaptureRecord(System.nanoTime(), CaptureRecord.ABSENT, 42, 7, "svc", 3,
                    d == Direction.INGRESS ? "read" : "write", d, Transport.TCP, "10.0.0.2:7000", "10.0.0.1:5001",
                    seq, b.length, ByteBuffer.wrap(b), false));
        }
    }
}
