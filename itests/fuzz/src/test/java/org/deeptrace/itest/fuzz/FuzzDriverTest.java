package org.deeptrace.itest.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.testkit.ParserHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The driver and the seed corpora: a fuzz target that never reaches the parser's message path finds little. */
class FuzzDriverTest {

    @Test
    void inputFormatRoundTrips() {
        List<FuzzInput.Step> steps = List.of(
                FuzzInput.Step.data(Origin.CLIENT, new byte[] {1, 2, 3}),
                FuzzInput.Step.gap(Origin.SERVER, 300),
                FuzzInput.Step.gap(Origin.CLIENT, -1),
                FuzzInput.Step.data(Origin.SERVER, new byte[70_000]));
        FuzzInput decoded = FuzzInput.decode(FuzzInput.encode(true, steps));
        assertTrue(decoded.udp());
        assertEquals(5, decoded.steps().size(), "data over 65535 bytes is split in two steps");
        assertArrayEquals(new byte[] {1, 2, 3}, decoded.steps().get(0).bytes());
        assertEquals(300, decoded.steps().get(1).gap());
        assertEquals(Origin.SERVER, decoded.steps().get(1).origin());
        assertEquals(-1, decoded.steps().get(2).gap());
        assertEquals(65535, decoded.steps().get(3).bytes().length);
        assertEquals(70_000 - 65535, decoded.steps().get(4).bytes().length);
    }

    @Test
    void anyBytesDecode() {
        assertTrue(FuzzInput.decode(new byte[0]).steps().isEmpty());
        FuzzInput truncated = FuzzInput.decode(new byte[] {0, 0, 0x10, 0, 'a', 'b'});
        assertArrayEquals(new byte[] {'a', 'b'}, truncated.steps().get(0).bytes(), "a step longer than the input");
    }

    @Test
    void anExceptionInTheParserEscapesTheDriver() {
        ProtocolParser throwing = new StubProtocol() {
            @Override
            public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                throw new IndexOutOfBoundsException("parser bug");
            }
        };
        byte[] input = FuzzInput.encode(false, List.of(FuzzInput.Step.data(Origin.CLIENT, new byte[] {1})));
        assertThrows(IndexOutOfBoundsException.class, () -> FuzzDriver.run(throwing, 1, false, input));
    }

    @Test
    void aParserTrustingALengthFieldFailsTheAllocationCheck() {
        ProtocolParser greedy = new StubProtocol() {
            @Override
            public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
                byte[][] buffers = new byte[64][];
                for (int i = 0; i < buffers.length; i++) {
                    buffers[i] = new byte[1024 * 1024]; // as if sized by a length field
                }
            }
        };
        byte[] input = FuzzInput.encode(false, List.of(FuzzInput.Step.data(Origin.CLIENT, new byte[] {1})));
        AssertionError e = assertThrows(AssertionError.class, () -> FuzzDriver.run(greedy, 1, false, input));
        assertTrue(e.getMessage().contains("allocated"), e.getMessage());
    }

    static Stream<FuzzTargets.Target> targets() {
        return FuzzTargets.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void everyTargetHasSeedsThatReachTheMessagePath(FuzzTargets.Target target) throws Exception {
        List<Path> seeds = seeds(target);
        assertFalse(seeds.isEmpty(), "no seeds for " + target.plugin() + ": run SeedCorpus");
        int messages = 0;
        for (Path seed : seeds) {
            ParserHarness h = FuzzDriver.run(target.parser().get(), target.port(), target.interleaved(), Files.readAllBytes(seed));
            messages += h.messages().size();
        }
        assertTrue(messages > 0, target.plugin() + ": the seeds produce no message at all");
    }

    private static List<Path> seeds(FuzzTargets.Target target) throws IOException, URISyntaxException {
        var url = FuzzDriverTest.class.getResource(target.inputsFolder());
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(p -> p.getFileName().toString().startsWith("seed-")).sorted().toList();
        }
    }

    /** A protocol whose connections do nothing: tests override {@code onData}. */
    private abstract static class StubProtocol implements ProtocolParser, ConnectionParser {
        @Override
        public String protocol() {
            return "STUB";
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.TCP);
        }

        @Override
        public Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
            return Inference.NO;
        }

        @Override
        public ConnectionParser open(ConnectionInfo connection) {
            return this;
        }

        @Override
        public void onGap(Origin origin, long offset, long length, MessageSink out) {
        }
    }
}
