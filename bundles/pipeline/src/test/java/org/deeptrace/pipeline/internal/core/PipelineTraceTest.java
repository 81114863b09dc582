package org.deeptrace.pipeline.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

/** Trace assembly inside the pipeline: two traced processes on one host, A calling B. */
class PipelineTraceTest {
    static final long MS = PipelineSettings.MS;
    static final String A = "10.0.0.1:80";
    static final String B = "10.0.0.2:80";

    final List<Span> spans = new ArrayList<>();
    final Counters counters = new Counters();

    /** Parents each client span with the server span of its process that encloses it. */
    static final Correlator ENCLOSING = new Correlator() {
        @Override
        public String name() {
            return "enclosing";
        }

        @Override
        public List<Decision> correlate(CorrelationWindow w) {
            List<Decision> out = new ArrayList<>();
            for (Span c : w.clients()) {
                Span parent = w.servers().stream().filter(s -> s.encloses(c)).findFirst().orElse(null);
                out.add(new Decision(c.spanId(), parent == null ? null : parent.spanId(), 1, w.servers().size()));
            }
            return out;
        }
    };

    static CaptureRecord rec(long ts, int pid, Direction d, String local, String remote, long seq, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return new CaptureRecord(ts, CaptureRecord.ABSENT, pid, pid, "p" + pid, 3,
                d == Direction.INGRESS ? "read" : "write", d, Transport.TCP, local, remote, seq, b.length,
                ByteBuffer.wrap(b), false);
    }

    /** One request: outside → A (pid 1) → B (pid 2), starting at {@code t}. */
    static void request(Pipeline p, long t, int n) {
        String outside = "10.0.0.9:" + (5000 + n);
        String aOut = "10.0.0.1:" + (40000 + n);
        long seq = 1;
        p.accept(rec(t, 1, Direction.INGRESS, A, outside, 1, "REQ /front\n"));
        p.accept(rec(t + 10 * MS, 1, Direction.EGRESS, aOut, B, seq, "REQ /back\n"));
        p.accept(rec(t + 11 * MS, 2, Direction.INGRESS, B, aOut, seq, "REQ /back\n"));
        p.accept(rec(t + 20 * MS, 2, Direction.EGRESS, B, aOut, seq, "RES 200\n"));
        p.accept(rec(t + 21 * MS, 1, Direction.INGRESS, aOut, B, seq, "RES 200\n"));
        p.accept(rec(t + 30 * MS, 1, Direction.EGRESS, A, outside, 1, "RES 200\n"));
    }

    @Test
    void aCallBetweenTwoTracedProcessesBecomesOneTraceAfterTheHold() {
        PipelineSettings settings = PipelineSettings.defaults("test-host").withWindow(1_000 * MS, 500 * MS);
        Pipeline p = new Pipeline(ParserCatalog.of(List.of(new LineProtocol())), () -> ENCLOSING, settings, counters,
                MessageOutput.NONE, spans::addAll);
        request(p, 0, 0);
        // each span is held until its end + window + grace (plus the reordering delay); B's ends first, at 20 ms
        p.tick(20 * MS + 1_500 * MS + settings.reorderNs() - 1);
        assertEquals(0, spans.size(), "nothing leaves before its hold");
        p.tick(30 * MS + 1_500 * MS + settings.reorderNs() + 100 * MS);
        assertEquals(3, spans.size(), "the first request's three spans: " + spans);
        request(p, 2_000 * MS, 1);
        p.finish();
        assertEquals(6, spans.size());

        for (int i = 0; i < 2; i++) {
            List<Span> request = spans.subList(3 * i, 3 * i + 3);
            Span front = request.stream().filter(s -> s.tgid() == 1 && s.kind() == SpanKind.SERVER).findFirst()
                    .orElseThrow();
            Span call = request.stream().filter(s -> s.kind() == SpanKind.CLIENT).findFirst().orElseThrow();
            Span back = request.stream().filter(s -> s.tgid() == 2).findFirst().orElseThrow();
            assertEquals(front.spanId(), call.parentSpanId());
            assertEquals(call.spanId(), back.parentSpanId(), "B's server span is the child of A's call");
            assertNull(back.correlation(), "an exact link, not a correlator's inference");
            assertNull(front.parentSpanId());
            for (Span s : request) {
                assertEquals(front.traceId(), s.traceId());
                assertTrue(s.traceId().matches("[0-9a-f]{32}"), s.traceId());
            }
        }
        assertTrue(!spans.get(0).traceId().equals(spans.get(3).traceId()), "two requests, two traces");
        assertEquals(2, counters.get("traces.links"));
        assertEquals(2, counters.get("traces.roots"));
        assertEquals(6, counters.get("traces.spans"));
    }
}
