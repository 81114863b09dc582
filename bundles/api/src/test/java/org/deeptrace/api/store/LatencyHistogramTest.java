package org.deeptrace.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void binsAreLogScaleAndContainTheirValues() {
        assertEquals(0, LatencyHistogram.bin(999));
        assertEquals(1, LatencyHistogram.bin(1000));
        assertEquals(1 + LatencyHistogram.PER_OCTAVE, LatencyHistogram.bin(2000));
        assertEquals(LatencyHistogram.BINS - 1, LatencyHistogram.bin(Long.MAX_VALUE));
        for (long ns : new long[] {1_000, 1_234, 55_555, 1_000_000, 12_345_678, 3_000_000_000L}) {
            int b = LatencyHistogram.bin(ns);
            assertTrue(LatencyHistogram.lowerBoundNs(b) <= ns && ns < LatencyHistogram.upperBoundNs(b), "bin of " + ns);
        }
    }

    @Test
    void percentilesAreWithinABinOfTheExactValue() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.add(i * 1_000_000L); // 1..1000 ms
        }
        assertEquals(1000, h.count());
        assertEquals(1_000_000L, h.minNs());
        assertEquals(1_000_000_000L, h.maxNs());
        assertEquals(500_500_000L, h.meanNs());
        assertNear(500_000_000L, h.percentileNs(0.5));
        assertNear(900_000_000L, h.percentileNs(0.9));
        assertNear(990_000_000L, h.percentileNs(0.99));
        assertEquals(1_000_000L, h.percentileNs(0));
        assertThrows(IllegalArgumentException.class, () -> h.percentileNs(1.5));
    }

    @Test
    void histogramsAddUpExactly() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.add(5_000);
        b.add(7_000_000);
        b.add(-3);
        LatencyHistogram sum = a.copy();
        sum.addAll(b);
        assertEquals(1, a.count());
        assertEquals(3, sum.count());
        assertEquals(0, sum.minNs());
        assertEquals(7_000_000, sum.maxNs());
        assertEquals(1, sum.count(0));
        assertEquals(0, new LatencyHistogram().percentileNs(0.5));
    }

    private static void assertNear(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.05, "expected ~" + expected + " but was " + actual);
    }
}
