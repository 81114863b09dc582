package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.someip.internal.SomeIpProtocol;

/** Fuzzes the SomeIp parser (see {@link FuzzDriver}); seeds in {@code SomeIpParserFuzzTestInputs/fuzz}. */
class SomeIpParserFuzzTest {

    /** SOME/IP-TP: a segmented message starts at its first segment, reported when the last one completes it. */
    static final boolean INTERLEAVED = true;
    static final int PORT = 30490;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new SomeIpProtocol(), PORT, INTERLEAVED, data);
    }
}
