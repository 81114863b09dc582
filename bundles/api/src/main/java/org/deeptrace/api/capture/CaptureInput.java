package org.deeptrace.api.capture;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An offline input format (capture-record JSON Lines, the original agent's dump, pcap, ...), registered as an
 * OSGi service and used by replay.
 */
public interface CaptureInput {

    /** Short format name, e.g. {@code capture-jsonl}. */
    String format();

    /**
     * Whether this format can read the file, judged from its name and its first bytes (already
     * decompressed when the file is gzip).
     */
    boolean accepts(Path file, byte[] head);

    /**
     * Reads every record of the file into the sink, in file order.
     *
     * @throws MalformedInputException on the first bad record unless {@link ReadOptions#lenient()}, in which
     *     case bad records are skipped and counted in the returned stats
     */
    ReadStats read(Path file, ReadOptions options, CaptureSink sink) throws IOException, MalformedInputException;

    /** @param lenient skip and count bad records instead of failing */
    record ReadOptions(boolean lenient) {
    }

    /**
     * @param records records handed to the sink
     * @param skipped bad records skipped (lenient mode only)
     * @param firstSkipReason where and why the first record was skipped, or null
     */
    record ReadStats(long records, long skipped, String firstSkipReason) {
    }
}
