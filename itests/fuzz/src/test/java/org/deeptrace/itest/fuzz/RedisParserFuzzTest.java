package org.deeptrace.itest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.deeptrace.protocol.redis.internal.RedisProtocol;

/** Fuzzes the Redis parser (see {@link FuzzDriver}); seeds in {@code RedisParserFuzzTestInputs/fuzz}. */
class RedisParserFuzzTest {

    static final boolean INTERLEAVED = false;
    static final int PORT = 6379;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION, maxExecutions = FuzzTargets.MAX_EXECUTIONS)
    void fuzz(byte[] data) {
        FuzzDriver.run(new RedisProtocol(), PORT, INTERLEAVED, data);
    }
}
