package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.http2.internal.Http2Protocol;

/** Fuzzes the Http2 parser (see {@link FuzzDriver}); seeds in {@code Http2ParserFuzzTestInputs/fuzz}. */
class Http2ParserFuzzTest {

    /** HTTP/2 multiplexes streams: its messages overlap in the byte stream. */
    static final boolean INTERLEAVED = true;
    static final int PORT = 8080;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new Http2Protocol(), PORT, INTERLEAVED, data);
    }
}
