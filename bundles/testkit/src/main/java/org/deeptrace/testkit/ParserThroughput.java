package org.deeptrace.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * Parse throughput of a protocol parser: recorded connections (their chunks, in capture order) fed again and again
 * to fresh connection parsers, first for a warm-up time, then for a measured time.
 *
 * <pre>{@code
 * ParserThroughput.Result r = ParserThroughput.of(MyParser::new).run(connections);
 * r.print("MyProtocol");
 * assertEquals(26, r.messagesPerRound());
 * }</pre>
 *
 * <p>Both phases are bounded by wall time, not by rounds: under load the JIT compiler threads get little CPU, so a
 * fixed number of warm-up rounds may leave the code interpreted. The result carries wall time and the measuring
 * thread's CPU time: on a shared machine the CPU-time figure is the steadier one. Every round must report the same
 * number of messages and nothing malformed, otherwise {@link #run} fails with an {@link AssertionError}; the figures
 * themselves are printed, never asserted.
 */
public final class ParserThroughput {

    /** One chunk of a recorded connection: what {@code origin} sent, in capture order. */
    public record Chunk(Origin origin, byte[] bytes) {
        public Chunk {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** The chunks of one recorded connection; each round feeds them to a parser of its own. */
    public record Connection(List<Chunk> chunks) {
        public Connection {
            chunks = List.copyOf(chunks);
        }

        public long bytes() {
            return chunks.stream().mapToLong(c -> c.bytes().length).sum();
        }
    }

    /** What one measured run gave: totals over the measured rounds only. */
    public record Result(long rounds, long bytesPerRound, long messagesPerRound, long wallNanos, long cpuNanos) {
        public long messages() {
            return rounds * messagesPerRound;
        }

        public double megabytesPerSecond() {
            return perSecond(rounds * (double) bytesPerRound / 1e6, wallNanos);
        }

        public double messagesPerSecond() {
            return perSecond(messages(), wallNanos);
        }

        /** MB per second of the measuring thread's CPU time (NaN where the JVM cannot measure thread CPU time). */
        public double cpuMegabytesPerSecond() {
            return perSecond(rounds * (double) bytesPerRound / 1e6, cpuNanos);
        }

        public double cpuMessagesPerSecond() {
            return perSecond(messages(), cpuNanos);
        }

        /** One line, such as {@code "Thrift throughput: 80.1 MB/s, 512345 messages/s wall clock; ..."}. */
        public String describe(String name) {
            return String.format(Locale.ROOT, "%s throughput: %.1f MB/s, %.0f messages/s wall clock; %.1f MB/s,"
                    + " %.0f messages/s of CPU time (%d rounds of %d bytes, %d messages each)", name,
                    megabytesPerSecond(), messagesPerSecond(), cpuMegabytesPerSecond(), cpuMessagesPerSecond(),
                    rounds, bytesPerRound, messagesPerRound);
        }

        /** Prints {@link #describe} to standard output (where Surefire keeps it in the test report). */
        public Result print(String name) {
            System.out.println(describe(name));
            return this;
        }

        private static double perSecond(double amount, long nanos) {
            return nanos > 0 ? amount / (nanos / 1e9) : Double.NaN;
        }
    }

    private final Supplier<? extends ConnectionParser> parsers;
    private Duration warmUp = Duration.ofSeconds(1);
    private Duration measure = Duration.ofSeconds(1);

    private ParserThroughput(Supplier<? extends ConnectionParser> parsers) {
        this.parsers = Objects.requireNonNull(parsers, "parsers");
    }

    /** A run that takes a fresh parser from {@code parsers} for every connection of every round. */
    public static ParserThroughput of(Supplier<? extends ConnectionParser> parsers) {
        return new ParserThroughput(parsers);
    }

    /** Wall time spent feeding rounds before measuring (default 1 s). */
    public ParserThroughput warmUp(Duration time) {
        this.warmUp = Objects.requireNonNull(time, "time");
        return this;
    }

    /** Wall time measured (default 1 s); at least one round is measured. */
    public ParserThroughput measure(Duration time) {
        this.measure = Objects.requireNonNull(time, "time");
        return this;
    }

    public Result run(List<Connection> connections) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("no connections to feed");
        }
        long bytesPerRound = connections.stream().mapToLong(Connection::bytes).sum();
        List<ByteBuffer[]> buffers = connections.stream()
                .map(c -> c.chunks().stream().map(ch -> ByteBuffer.wrap(ch.bytes())).toArray(ByteBuffer[]::new))
                .toList();
        CountingSink sink = new CountingSink();
        long messagesPerRound = round(connections, buffers, sink);
        long warmUntil = System.nanoTime() + warmUp.toNanos();
        while (System.nanoTime() < warmUntil) {
            checkRound(messagesPerRound, round(connections, buffers, sink));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
        long cpuStart = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
        long start = System.nanoTime();
        long stopAt = start + measure.toNanos();
        long rounds = 0;
        long now;
        do {
            checkRound(messagesPerRound, round(connections, buffers, sink));
            rounds++;
            now = System.nanoTime();
        } while (now < stopAt);
        long cpuNanos = cpuTime ? threads.getCurrentThreadCpuTime() - cpuStart : 0;
        return new Result(rounds, bytesPerRound, messagesPerRound, now - start, cpuNanos);
    }

    private long round(List<Connection> connections, List<ByteBuffer[]> buffers, CountingSink sink) {
        sink.count = 0;
        for (int c = 0; c < connections.size(); c++) {
            ConnectionParser parser = parsers.get();
            List<Chunk> chunks = connections.get(c).chunks();
            ByteBuffer[] bytes = buffers.get(c);
            long clientOffset = 0;
            long serverOffset = 0;
            for (int i = 0; i < bytes.length; i++) {
                Origin origin = chunks.get(i).origin();
                long offset = origin == Origin.CLIENT ? clientOffset : serverOffset;
                parser.onData(origin, offset, bytes[i].duplicate(), sink);
                if (origin == Origin.CLIENT) {
                    clientOffset += chunks.get(i).bytes().length;
                } else {
                    serverOffset += chunks.get(i).bytes().length;
                }
            }
        }
        return sink.count;
    }

    private static void checkRound(long expected, long actual) {
        if (expected != actual) {
            throw new AssertionError("a round reported " + actual + " messages, the first one " + expected);
        }
    }

    /** Counts messages; anything malformed fails the run (the recorded traffic is well-formed). */
    private static final class CountingSink implements MessageSink {
        long count;

        @Override
        public void message(Origin origin, ParsedMessage message, long start, long end) {
            count++;
        }

        @Override
        public void malformed(Origin origin, String reason) {
            throw new AssertionError("malformed " + origin + " data: " + reason);
        }
    }
}
