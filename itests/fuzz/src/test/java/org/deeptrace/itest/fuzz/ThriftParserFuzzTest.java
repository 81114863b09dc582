package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.thrift.internal.ThriftProtocol;

/** Fuzzes the Thrift parser (see {@link FuzzDriver}); seeds in {@code ThriftParserFuzzTestInputs/fuzz}. */
class ThriftParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 9090;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new ThriftProtocol(), PORT, INTERLEAVED, data);
    }
}
