package org.deeptrace.api.runtime;

import java.io.IOException;
import org.deeptrace.api.capture.MalformedInputException;

/** Runs recorded input through a private instance of the pipeline, with the registered plugins. */
public interface ReplayService {

    /**
     * Replays synchronously and returns once every span is written.
     *
     * @throws MalformedInputException on a bad record in strict mode, naming file, line and reason
     * @throws IllegalArgumentException when no input format accepts a file or the correlator is unknown
     */
    ReplayReport replay(ReplayRequest request) throws IOException, MalformedInputException;
}
