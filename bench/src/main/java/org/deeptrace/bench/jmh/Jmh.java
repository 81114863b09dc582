package org.deeptrace.bench.jmh;

/**
 * Runs JMH benchmarks of this module: {@code bench/run jmh [JMH options] [regex]}, for example
 * {@code bench/run jmh ParseBench -wi 2 -i 3 -f 1}; {@code -h} lists JMH's options.
 */
public final class Jmh {

    private Jmh() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
