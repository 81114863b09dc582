package org.deeptrace.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse throughput per protocol: every connection of the protocol's payloads (see {@link ProtocolPayloads}) is
 * replayed through a fresh connection parser, chunk by chunk with stream offsets, then closed. One operation is
 * one pass over all connections; the {@code bytes} and {@code messages} counters are the payload bytes fed and
 * the messages reported, per second ({@code bytes/s / 1e6} = MB/s).
 *
 * <pre>
 * bench/run jmh ParseBench -wi 2 -i 3 -f 1                   # every protocol
 * bench/run jmh ParseBench -p protocol=redis,dns -wi 2 -i 3 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBench {

    @Param({"http1", "http2", "redis", "dns", "tls", "thrift", "thrift-header", "thrift-json", "fastcgi", "brpc",
            "tars", "someip", "dubbo", "sofarpc"})
    public String protocol;

    private ProtocolPayloads.Dataset dataset;
    private ProtocolParser parser;
    private ByteBuffer[][] chunks;

    /** Per-second counters JMH reports next to the operation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public long bytes;
        public long messages;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
            messages = 0;
        }
    }

    @Setup(Level.Trial)
    public void load() throws Exception {
        dataset = ProtocolPayloads.load(protocol, ProtocolPayloads.repo());
        parser = dataset.parser().get();
        // Read-only buffers made once: the benchmark measures the parser, not copying bytes into buffers.
        chunks = new ByteBuffer[dataset.connections().size()][];
        for (int c = 0; c < chunks.length; c++) {
            var list = dataset.connections().get(c).chunks();
            chunks[c] = new ByteBuffer[list.size()];
            for (int i = 0; i < list.size(); i++) {
                chunks[c][i] = ByteBuffer.wrap(list.get(i).bytes()).asReadOnlyBuffer();
            }
        }
        System.out.printf("%n%s: %d connections, %d payload bytes per operation%n", protocol,
                dataset.connections().size(), dataset.bytes());
    }

    @Benchmark
    public void parse(Throughput counters, Blackhole bh) {
        CountingSink sink = new CountingSink(bh);
        for (int c = 0; c < chunks.length; c++) {
            ProtocolPayloads.Connection connection = dataset.connections().get(c);
            ConnectionParser p = parser.open(connection.info());
            ByteBuffer[] buffers = chunks[c];
            for (int i = 0; i < buffers.length; i++) {
                ProtocolPayloads.Chunk chunk = connection.chunks().get(i);
                p.onData(chunk.origin(), chunk.offset(), buffers[i].duplicate(), sink);
            }
            p.onClose(sink);
        }
        counters.bytes += dataset.bytes();
        counters.messages += sink.messages;
    }

    /** Counts messages and hands them to the blackhole so the parser's work is not optimised away. */
    private static final class CountingSink implements MessageSink {
        private final Blackhole bh;
        long messages;

        CountingSink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void message(Origin origin, ParsedMessage message, long start, long end) {
            messages++;
            bh.consume(message);
        }

        @Override
        public void malformed(Origin origin, String reason) {
            bh.consume(reason);
        }
    }
}
