package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.http1.internal.Http1Protocol;

/** Fuzzes the Http1 parser (see {@link FuzzDriver}); seeds in {@code Http1ParserFuzzTestInputs/fuzz}. */
class Http1ParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 8080;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new Http1Protocol(), PORT, INTERLEAVED, data);
    }
}
