package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.dubbo.internal.DubboProtocol;

/** Fuzzes the Dubbo parser (see {@link FuzzDriver}); seeds in {@code DubboParserFuzzTestInputs/fuzz}. */
class DubboParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 20880;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new DubboProtocol(), PORT, INTERLEAVED, data);
    }
}
