package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.sofarpc.internal.SofaRpcProtocol;

/** Fuzzes the SofaRpc parser (see {@link FuzzDriver}); seeds in {@code SofaRpcParserFuzzTestInputs/fuzz}. */
class SofaRpcParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 12200;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new SofaRpcProtocol(), PORT, INTERLEAVED, data);
    }
}
