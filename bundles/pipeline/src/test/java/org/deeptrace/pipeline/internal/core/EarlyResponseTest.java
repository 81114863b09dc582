package org.deeptrace.pipeline.internal.core;

import static org.deeptrace.pipeline.internal.core.UndecidedBytesTest.ascii;
import static org.deeptrace.pipeline.internal.core.UndecidedBytesTest.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeptrace.api.model.Direction;
import org.junit.jupiter.api.Test;

/**
 * A server may answer before it has read its request's last bytes: php-fpm writes the response, then reads the
 * empty FastCGI STDIN record that ends the request. Live capture delivers the syscalls in that order, so the
 * response is complete before its request; it must still pair with that request, and the later exchanges of the
 * connection with their own (found by itests/live-protocols' FastCgiLiveIT).
 */
class EarlyResponseTest extends LinePipelineTest {

    @Test
    void aResponseWrittenBeforeTheRequestsLastByteWasReadPairsWithThatRequest() {
        pipeline.accept(rec(100, Direction.INGRESS, 1000, ascii("REQ /a")));
        pipeline.accept(rec(150, Direction.EGRESS, 5000, ascii("RES 200\n")));
        pipeline.accept(rec(160, Direction.INGRESS, 1006, ascii("\n"))); // the request's last byte, read late
        pipeline.accept(rec(200, Direction.INGRESS, 1007, ascii("REQ /b\n")));
        pipeline.accept(rec(250, Direction.EGRESS, 5008, ascii("RES 404\n")));
        pipeline.finish();

        assertEquals(List.of("/a 200 100-150", "/b 404 200-250"), spans.stream()
                .map(s -> s.endpoint() + " " + s.responseCode() + " " + s.startNs() + "-" + s.endNs()).toList());
        assertEquals(1, counters.get("pairing.response_before_request_end"));
        assertEquals(0, counters.get("exchanges.unmatched_responses"));
    }

    @Test
    void aResponseToARequestNeverCapturedDoesNotAnswerTheNextOne() {
        pipeline.accept(rec(100, Direction.EGRESS, 5000, ascii("RES 500\n"))); // its request came before the capture
        pipeline.accept(rec(200, Direction.INGRESS, 1000, ascii("REQ /b\n")));
        pipeline.accept(rec(250, Direction.EGRESS, 5008, ascii("RES 200\n")));
        pipeline.finish();

        assertEquals(List.of("/b 200"), spans.stream().map(s -> s.endpoint() + " " + s.responseCode()).toList());
        assertEquals(1, counters.get("exchanges.unmatched_responses"));
        assertEquals(0, counters.get("pairing.response_before_request_end"));
    }

    @Test
    void earlyResponsesLeftAtTheEndAreCountedUnmatched() {
        pipeline.accept(rec(100, Direction.INGRESS, 1000, ascii("REQ /a\n")));
        pipeline.accept(rec(150, Direction.EGRESS, 5000, ascii("RES 200\nRES 201\n")));
        pipeline.finish();

        assertEquals(List.of("/a 200"), spans.stream().map(s -> s.endpoint() + " " + s.responseCode()).toList());
        assertEquals(1, counters.get("exchanges.unmatched_responses"));
    }
}
