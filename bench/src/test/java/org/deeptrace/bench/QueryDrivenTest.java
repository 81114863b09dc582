package org.deeptrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Query-driven assembly over three agents (rps100, each service its own host) answers an operator's query mix
 * exactly as one pipeline assembling all hosts does, moving a small part of the bytes that shipping every span
 * would. Bytes are deterministic up to a few per request (the agents' port numbers in the Host header, the Date
 * header), so the bounds are the measured figures rounded down: see {@link QueryDrivenBench} and the
 * query-federation README for the tables.
 */
class QueryDrivenTest {

    private static QueryDrivenBench.Result measure(int copies) throws Exception {
        QueryDrivenBench.Result r = QueryDrivenBench.measure(
                CorrelationAccuracyTest.DATASETS.resolve("rps100.capture.jsonl"), copies);
        System.out.printf("rps100 x%d: %d spans on 3 agents; shipping all %d B (gzip %d B); %d queries moved %d B in "
                + "%d requests: %.2f%% fewer than JSON lines, %.2f%% fewer than gzip; %d/%d answers equal%n", copies,
                r.totalSpans(), r.shipAllRawBytes(), r.shipAllGzipBytes(), r.rows().size(), r.federatedBytes(),
                r.federatedRequests(), 100 * r.reductionVsRaw(), 100 * r.reductionVsGzip(), r.equalAnswers(),
                r.rows().size());
        assertEquals(r.rows().size(), r.equalAnswers(), "every federated answer equals the single pipeline's: "
                + r.rows());
        return r;
    }

    /** The capture as recorded: 3 s of traffic, 1438 spans; the mix touches more than half of its traces. */
    @Test
    void asRecorded() throws Exception {
        QueryDrivenBench.Result r = measure(1);
        assertEquals(1438, r.totalSpans());
        assertTrue(r.reductionVsRaw() >= 0.84, "fewer bytes than shipping JSON lines: " + r.reductionVsRaw());
    }

    /** Agents that kept ten times the capture (ten bursts, 20 s apart): shipping grows, the answers do not. */
    @Test
    void tenTimesTheTraffic() throws Exception {
        QueryDrivenBench.Result r = measure(10);
        assertEquals(14380, r.totalSpans());
        assertTrue(r.reductionVsRaw() >= 0.98, "fewer bytes than shipping JSON lines: " + r.reductionVsRaw());
        assertTrue(r.reductionVsGzip() >= 0.84, "fewer bytes than shipping gzip: " + r.reductionVsGzip());
    }
}
