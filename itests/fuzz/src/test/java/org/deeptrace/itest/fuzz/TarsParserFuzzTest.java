package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.tars.internal.TarsProtocol;

/** Fuzzes the Tars parser (see {@link FuzzDriver}); seeds in {@code TarsParserFuzzTestInputs/fuzz}. */
class TarsParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 10000;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new TarsProtocol(), PORT, INTERLEAVED, data);
    }
}
