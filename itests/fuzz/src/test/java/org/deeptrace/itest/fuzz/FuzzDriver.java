package org.deeptrace.itest.fuzz;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.testkit.ParserHarness;

/**
 * Drives one protocol parser with one fuzz input the way the pipeline does: inference on the first bytes (over
 * TCP and UDP), then a connection parser fed the chunks and gaps of the input with stream offsets, then close.
 * {@link ParserHarness} checks what the parser reports (offsets within the bytes fed and in stream order, sane
 * malformed reports, no kept references to chunks); this class adds the checks on inference and allocation.
 *
 * <p>Properties: nothing throws (an escaping exception is a finding), no input allocates more than
 * {@link #allocationLimit} bytes (a parser must not trust a length field to size a buffer), and no input runs
 * for long (libFuzzer's {@code -timeout}, set in the pom, makes a slow input a finding).
 */
final class FuzzDriver {

    static final int CLIENT_PORT = 40000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzDriver() {
    }

    /** Bytes one input may allocate: a fixed allowance plus a generous multiple of its size. */
    static long allocationLimit(int inputLength) {
        return 32L * 1024 * 1024 + 64L * inputLength;
    }

    /**
     * Runs {@code data} through a fresh connection of {@code protocol} whose server listens on {@code port};
     * {@code interleaved} for multiplexed protocols, whose messages overlap (see {@link ParserHarness#interleaved}).
     * An input over the allocation limit is run a second time before it fails: the first run of a code path
     * also pays for loading (and Jazzer's instrumenting) its classes, which a parser does not control.
     */
    static ParserHarness run(ProtocolParser protocol, int port, boolean interleaved, byte[] data) {
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        ParserHarness harness = runOnce(protocol, port, interleaved, data);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        if (allocated > allocationLimit(data.length)) {
            allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            harness = runOnce(protocol, port, interleaved, data);
            allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            if (allocated > allocationLimit(data.length)) {
                throw new AssertionError(protocol.protocol() + ": one input of " + data.length + " bytes allocated "
                        + allocated + " bytes (limit " + allocationLimit(data.length) + ")");
            }
        }
        return harness;
    }

    private static ParserHarness runOnce(ProtocolParser protocol, int port, boolean interleaved, byte[] data) {
        FuzzInput input = FuzzInput.decode(data);

        byte[] first = input.steps().stream().filter(FuzzInput.Step::isData).map(FuzzInput.Step::bytes)
                .findFirst().orElse(new byte[0]);
        for (Transport l4 : List.of(Transport.TCP, Transport.UDP)) {
            Inference toServer = protocol.infer(chunk(first), l4, CLIENT_PORT, port);
            Inference toClient = protocol.infer(chunk(first), l4, port, CLIENT_PORT);
            if (toServer == null || toClient == null) {
                throw new AssertionError(protocol.protocol() + ": infer returned null over " + l4);
            }
        }

        boolean tcp = protocol.transports().contains(Transport.TCP);
        boolean udp = protocol.transports().contains(Transport.UDP);
        Transport l4 = udp && (input.udp() || !tcp) ? Transport.UDP : Transport.TCP;
        ConnectionInfo connection = new ConnectionInfo(l4, "10.0.0.1:" + CLIENT_PORT, "10.0.0.2:" + port, 1, "fuzz");
        ParserHarness harness = ParserHarness.open(protocol, connection);
        if (interleaved) {
            harness.interleaved();
        }
        for (FuzzInput.Step step : input.steps()) {
            if (step.isData()) {
                if (step.bytes().length > 0) {
                    harness.feed(step.origin(), step.bytes());
                }
            } else if (step.gap() >= 0) {
                harness.gap(step.origin(), step.gap());
            } else {
                harness.unknownGap(step.origin());
            }
        }
        harness.close();
        return harness;
    }

    /** The bytes as the pipeline hands them over: read-only, not at index 0 of their storage. */
    private static ByteBuffer chunk(byte[] bytes) {
        byte[] storage = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, storage, 3, bytes.length);
        return ByteBuffer.wrap(storage, 3, bytes.length).slice().asReadOnlyBuffer();
    }
}
