package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.dns.internal.DnsProtocol;

/** Fuzzes the Dns parser (see {@link FuzzDriver}); seeds in {@code DnsParserFuzzTestInputs/fuzz}. */
class DnsParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 53;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new DnsProtocol(), PORT, INTERLEAVED, data);
    }
}
