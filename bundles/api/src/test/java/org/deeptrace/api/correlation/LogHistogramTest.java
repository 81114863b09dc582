package org.deeptrace.api.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogHistogramTest {
    private static final long MICRO = 1_000;
    private static final long MILLI = 1_000_000;
    private static final long SECOND = 1_000_000_000;

    @Test
    void binsAreQuarterOctavesFromOneMicrosecond() {
        assertEquals(0, LogHistogram.bin(-5));
        assertEquals(0, LogHistogram.bin(0));
        assertEquals(0, LogHistogram.bin(MICRO - 1));
        assertEquals(1, LogHistogram.bin(MICRO));
        assertEquals(5, LogHistogram.bin(2 * MICRO + 1), "one octave above 1 µs is four bins further");
        assertEquals(9, LogHistogram.bin(4 * MICRO + 1));
        assertEquals(LogHistogram.BINS - 1, LogHistogram.bin(Long.MAX_VALUE));
        for (long ns = 1; ns < 60 * SECOND; ns = ns * 3 / 2 + 1) {
            assertTrue(LogHistogram.bin(ns) <= LogHistogram.bin(ns * 3 / 2 + 1), "bins grow with the duration");
        }
    }

    @Test
    void anEmptyHistogramIsUniform() {
        LogHistogram h = new LogHistogram(100);
        assertEquals(0, h.total());
        assertEquals(Math.log(1.0 / LogHistogram.BINS), h.logDensity(MILLI), 1e-12);
        assertEquals(Math.log(1.0 / LogHistogram.BINS), h.logDensity(SECOND), 1e-12);
    }

    @Test
    void densityPeaksWhereObservationsFellAndStaysFiniteElsewhere() {
        LogHistogram h = new LogHistogram(Double.MAX_VALUE);
        for (int i = 0; i < 1000; i++) {
            h.add(MILLI);
        }
        assertEquals(1000, h.total());
        double atPeak = h.logDensity(MILLI);
        double neighbour = h.logDensity(MILLI * 6 / 5);
        double far = h.logDensity(SECOND);
        assertTrue(atPeak > neighbour, "the observed bin is most likely");
        assertTrue(neighbour > far, "the kernel spreads weight to adjacent bins only");
        assertTrue(Double.isFinite(far) && far < Math.log(0.001), "unseen offsets are unlikely, never impossible");
        assertTrue(atPeak < 0);
    }

    @Test
    void countsAreHalvedPastTheCapSoNewBehaviourWins() {
        LogHistogram h = new LogHistogram(100);
        for (int i = 0; i < 100; i++) {
            h.add(MILLI);
        }
        assertEquals(100, h.total());
        h.add(MILLI);
        assertEquals(50.5, h.total(), 1e-9, "passing the cap halves the total");
        for (int i = 0; i < 500; i++) {
            h.add(SECOND);
            assertTrue(h.total() <= 100);
        }
        assertTrue(h.logDensity(SECOND) > h.logDensity(MILLI), "old observations faded");

        LogHistogram noDecay = new LogHistogram(Double.MAX_VALUE);
        for (int i = 0; i < 1000; i++) {
            noDecay.add(MILLI);
        }
        for (int i = 0; i < 500; i++) {
            noDecay.add(SECOND);
        }
        assertTrue(noDecay.logDensity(MILLI) > noDecay.logDensity(SECOND), "without a cap, history keeps its weight");
    }

    @Test
    void addAllPoolsCountsAndLeavesTheOtherUnchanged() {
        LogHistogram a = new LogHistogram(Double.MAX_VALUE);
        LogHistogram b = new LogHistogram(Double.MAX_VALUE);
        LogHistogram both = new LogHistogram(Double.MAX_VALUE);
        for (int i = 0; i < 30; i++) {
            a.add(MILLI);
            both.add(MILLI);
        }
        for (int i = 0; i < 10; i++) {
            b.add(10 * MILLI);
            both.add(10 * MILLI);
        }
        a.addAll(b);
        assertEquals(40, a.total());
        assertEquals(10, b.total());
        assertEquals(both.logDensity(MILLI), a.logDensity(MILLI), 1e-12);
        assertEquals(both.logDensity(10 * MILLI), a.logDensity(10 * MILLI), 1e-12);
    }
}
