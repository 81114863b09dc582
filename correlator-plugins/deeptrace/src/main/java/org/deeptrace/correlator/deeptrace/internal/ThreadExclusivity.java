package org.deeptrace.correlator.deeptrace.internal;

/**
 * How a process uses its threads, judged without any assignment. A thread-per-request server (a pool, or a thread
 * per connection) serves one request per thread at a time, so among the server spans open when a child call
 * starts, exactly one was read by the thread that writes the child. A single-threaded event loop (nginx, Node.js)
 * read every open request on the thread that writes the child. Goroutines and async pools (the thread is
 * anyone's) are neither.
 *
 * <p>Learned from the candidate sets themselves rather than from the correlator's own choices: a self-trained
 * weight stays as weak as the first assignment it was bootstrapped from, while this count is right from the
 * first window with enough concurrency. Counts decay (halved at the cap), so a process that changes its threading
 * is re-judged.
 */
final class ThreadExclusivity {
    /** Share of ambiguous child calls with exactly one same-thread candidate that makes a process thread-per-request. */
    static final double EXCLUSIVE_SHARE = 0.95;
    /** Ambiguous child calls (two or more candidates) seen before the judgement counts. */
    static final double MIN_OBSERVED = 30;
    /** Log-likelihood ratio of the thread feature in a thread-per-request process: about 400 to 1. */
    static final double STRONG_LOG_RATIO = 6;
    private static final double CAP = 20_000;

    private double ambiguous;
    private double exactlyOne;
    private double allSame;

    /** One child call with {@code candidates} candidate parents, {@code sameThread} of them read on its thread. */
    void observe(int candidates, int sameThread) {
        if (candidates < 2) {
            return; // a lone candidate says nothing about how threads are used
        }
        ambiguous++;
        if (sameThread == 1) {
            exactlyOne++;
        }
        if (sameThread == candidates) {
            allSame++;
        }
        if (ambiguous > CAP) {
            ambiguous *= 0.5;
            exactlyOne *= 0.5;
            allSame *= 0.5;
        }
    }

    boolean threadPerRequest() {
        return ambiguous >= MIN_OBSERVED && exactlyOne >= EXCLUSIVE_SHARE * ambiguous;
    }

    /** One thread reads every request and writes every call: an event loop. */
    boolean singleThreaded() {
        return ambiguous >= MIN_OBSERVED && allSame >= EXCLUSIVE_SHARE * ambiguous;
    }

    /** The thread feature's weight when the process is thread-per-request: same thread (1) or not (0). */
    static double strongLogRatio(int sameThread) {
        return sameThread == 1 ? STRONG_LOG_RATIO : -STRONG_LOG_RATIO;
    }
}
