package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.fastcgi.internal.FcgiProtocol;

/** Fuzzes the Fastcgi parser (see {@link FuzzDriver}); seeds in {@code FastcgiParserFuzzTestInputs/fuzz}. */
class FastcgiParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 9000;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new FcgiProtocol(), PORT, INTERLEAVED, data);
    }
}
