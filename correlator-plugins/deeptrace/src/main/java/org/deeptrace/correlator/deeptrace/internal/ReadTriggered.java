package org.deeptrace.correlator.deeptrace.internal;

import java.util.Arrays;
import java.util.List;
import org.deeptrace.api.model.Span;

/**
 * Which kinds of call an event loop makes as soon as it has read a request. A handler runs right after its request
 * is read and writes its first call before the loop reads the next request, so such a call follows the latest read
 * by microseconds while requests arrive milliseconds apart; a call made later (after a response came back) follows
 * the latest read by a random share of the gap between reads. Judged per window from the timestamps alone — not
 * from the correlator's own choices — for a call kind seen often enough.
 */
final class ReadTriggered {
    /** Calls of one kind in the window before it is judged. */
    static final int MIN_CALLS = 20;
    /** A call kind whose median delay after the latest read is below this share of the median gap between reads. */
    static final double SHARE_OF_READ_GAP = 0.1;
    /** Log-likelihood of the latest-read candidate (plus) and of the others (minus) for such a call: about 50 to 1. */
    static final double LOG_RATIO = 4;

    private ReadTriggered() {
    }

    /**
     * @param servers the window's server spans in start order
     * @param clients the window's client spans in start order
     * @param latestRead per client, the index of the last server span started at or before it, or -1
     * @param keyOf per client, its call kind
     * @param keys number of call kinds
     * @return per call kind, whether its calls follow the latest read
     */
    static boolean[] judge(List<Span> servers, List<Span> clients, int[] latestRead, int[] keyOf, int keys) {
        boolean[] triggered = new boolean[keys];
        if (servers.size() < MIN_CALLS) {
            return triggered;
        }
        long[] readGaps = new long[servers.size() - 1];
        for (int j = 1; j < servers.size(); j++) {
            readGaps[j - 1] = servers.get(j).startNs() - servers.get(j - 1).startNs();
        }
        double medianReadGap = median(readGaps, readGaps.length);
        long[][] delays = new long[keys][];
        int[] counts = new int[keys];
        for (int i = 0; i < clients.size(); i++) {
            counts[keyOf[i]]++;
        }
        for (int k = 0; k < keys; k++) {
            delays[k] = new long[counts[k]];
            counts[k] = 0;
        }
        for (int i = 0; i < clients.size(); i++) {
            if (latestRead[i] >= 0) {
                int k = keyOf[i];
                delays[k][counts[k]++] = clients.get(i).startNs() - servers.get(latestRead[i]).startNs();
            }
        }
        for (int k = 0; k < keys; k++) {
            triggered[k] = counts[k] >= MIN_CALLS && medianReadGap > 0
                    && median(delays[k], counts[k]) < SHARE_OF_READ_GAP * medianReadGap;
        }
        return triggered;
    }

    private static double median(long[] values, int n) {
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }
}
