package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.brpc.internal.BrpcProtocol;

/** Fuzzes the Brpc parser (see {@link FuzzDriver}); seeds in {@code BrpcParserFuzzTestInputs/fuzz}. */
class BrpcParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 8000;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new BrpcProtocol(), PORT, INTERLEAVED, data);
    }
}
