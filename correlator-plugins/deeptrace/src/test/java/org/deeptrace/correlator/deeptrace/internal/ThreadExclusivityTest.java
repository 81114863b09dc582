package org.deeptrace.correlator.deeptrace.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ThreadExclusivityTest {

    @Test
    void aThreadPoolServingOneRequestPerThreadIsThreadPerRequest() {
        ThreadExclusivity t = new ThreadExclusivity();
        for (int i = 0; i < 100; i++) {
            t.observe(2 + i % 6, 1); // several requests open, exactly one read on the child's thread
        }
        assertTrue(t.threadPerRequest());
        assertTrue(ThreadExclusivity.strongLogRatio(1) > 0 && ThreadExclusivity.strongLogRatio(0) < 0);
    }

    @Test
    void anEventLoopIsNot() {
        ThreadExclusivity t = new ThreadExclusivity();
        for (int i = 0; i < 100; i++) {
            t.observe(2 + i % 6, 2 + i % 6); // every open request was read on the one loop thread
        }
        assertFalse(t.threadPerRequest());
    }

    @Test
    void goroutinesOnRandomThreadsAreNot() {
        ThreadExclusivity t = new ThreadExclusivity();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            int candidates = 2 + random.nextInt(6);
            int same = 0;
            for (int c = 0; c < candidates; c++) {
                same += random.nextInt(4) == 0 ? 1 : 0; // 4 OS threads run the goroutines
            }
            t.observe(candidates, same);
        }
        assertFalse(t.threadPerRequest());
    }

    @Test
    void tooFewAmbiguousCallsDecideNothing() {
        ThreadExclusivity t = new ThreadExclusivity();
        for (int i = 0; i < 1000; i++) {
            t.observe(1, 1); // a lone candidate: no evidence either way
        }
        for (int i = 0; i < 10; i++) {
            t.observe(3, 1);
        }
        assertFalse(t.threadPerRequest());
    }
}
