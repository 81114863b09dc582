package org.deeptrace.correlator.deeptrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallPatternsTest {

    @Test
    void anEndpointNeverSeenMakingAFrequentCallIsPenalised() {
        CallPatterns p = new CallPatterns();
        for (int i = 0; i < 50; i++) {
            p.observeCertain("/c/chain", "redis SET");
            p.observeCertain(i % 2 == 0 ? "/c/chain" : "/c/stock", "redis GET");
        }
        assertEquals(Math.log(1.0 / 51), p.logPrior("/c/stock", "redis SET"), 1e-9, "never seen making it: 1 in 51");
        assertTrue(p.logPrior("/c/chain", "redis SET") > -0.1, "the only one seen making it");
        assertEquals(p.logPrior("/c/chain", "redis GET"), p.logPrior("/c/stock", "redis GET"), 1e-9, "both make it");
    }

    @Test
    void thePenaltyIsBounded() {
        CallPatterns p = new CallPatterns();
        for (int i = 0; i < 5000; i++) {
            p.observeCertain("/c/chain", "redis SET");
        }
        assertEquals(CallPatterns.FLOOR, p.logPrior("/c/stock", "redis SET"));
    }

    @Test
    void aRarelySeenCallSaysNothingYet() {
        CallPatterns p = new CallPatterns();
        for (int i = 0; i < 5; i++) {
            p.observeCertain("/a", "db SELECT");
        }
        assertEquals(0, p.logPrior("/b", "db SELECT"));
        assertEquals(0, p.logPrior("/b", "never seen"));
    }
}
