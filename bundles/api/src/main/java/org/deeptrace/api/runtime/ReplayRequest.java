package org.deeptrace.api.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * An offline run of recorded input through the pipeline.
 *
 * @param inputs files to read, in order (any registered input format, plain or gzip)
 * @param algorithm correlator name, or null for the configured one
 * @param spansOut write span records here (JSON Lines), or null
 * @param messagesOut write L7 message records here (JSON Lines), or null
 * @param lenient skip and count malformed records instead of failing
 * @param publish also hand the spans to the live senders and store
 */
public record ReplayRequest(List<Path> inputs, String algorithm, Path spansOut, Path messagesOut, boolean lenient,
        boolean publish) {
    public ReplayRequest {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input file given");
        }
    }
}
