package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.someip.internal.SomeIpProtocol;

/** Fuzzes the SomeIp parser (see {@link FuzzDriver}); seeds in {@code SomeIpParserFuzzTestInputs/fuzz}. */
class SomeIpParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 30490;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new SomeIpProtocol(), PORT, INTERLEAVED, data);
    }
}
