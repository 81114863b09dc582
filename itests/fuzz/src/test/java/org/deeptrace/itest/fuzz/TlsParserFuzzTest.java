package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.tls.internal.TlsProtocol;

/** Fuzzes the Tls parser (see {@link FuzzDriver}); seeds in {@code TlsParserFuzzTestInputs/fuzz}. */
class TlsParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 443;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new TlsProtocol(), PORT, INTERLEAVED, data);
    }
}
