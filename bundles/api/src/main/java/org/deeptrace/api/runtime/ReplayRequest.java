package org.deeptrace.api.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An offline run of recorded input through the pipeline.
 *
 * @param inputs files to read (any registered input format, plain or gzip); several files are merged by time
 * @param algorithm correlator name, or null for the configured one
 * @param spansOut write span records here (JSON Lines), or null
 * @param messagesOut write L7 message records here (JSON Lines), or null
 * @param lenient skip and count malformed records instead of failing
 * @param publish also hand the spans to the live senders and store
 * @param hosts the host each input was captured on, index by index (null entries: the configured host); empty
 *     when every input comes from the configured host. Inputs of several hosts are assembled into traces that
 *     cross them.
 */
public record ReplayRequest(List<Path> inputs, String algorithm, Path spansOut, Path messagesOut, boolean lenient,
        boolean publish, List<String> hosts) {
    public ReplayRequest {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input file given");
        }
        hosts = hosts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hosts));
        if (!hosts.isEmpty() && hosts.size() != inputs.size()) {
            throw new IllegalArgumentException(hosts.size() + " hosts given for " + inputs.size() + " inputs");
        }
    }

    /** Every input captured on the configured host. */
    public ReplayRequest(List<Path> inputs, String algorithm, Path spansOut, Path messagesOut, boolean lenient,
            boolean publish) {
        this(inputs, algorithm, spansOut, messagesOut, lenient, publish, List.of());
    }

    /** From inputs written as {@link ReplayInput}s (FILE or HOST=FILE). */
    public static ReplayRequest of(List<ReplayInput> inputs, String algorithm, Path spansOut, Path messagesOut,
            boolean lenient, boolean publish) {
        List<Path> files = inputs.stream().map(ReplayInput::file).toList();
        List<String> hosts = inputs.stream().anyMatch(i -> i.host() != null)
                ? inputs.stream().map(ReplayInput::host).toList() : List.of();
        return new ReplayRequest(files, algorithm, spansOut, messagesOut, lenient, publish, hosts);
    }

    /** The host input {@code index} was captured on, or null for the configured host. */
    public String hostOf(int index) {
        return hosts.isEmpty() ? null : hosts.get(index);
    }
}
