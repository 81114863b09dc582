package org.deeptrace.api.capture;

import java.util.Map;

/**
 * A live source of capture records, such as the eBPF capture, registered as an OSGi service. The pipeline
 * starts every registered source with its own sink and stops it when either goes away.
 */
public interface CaptureSource {

    /** Short name shown in status output, e.g. {@code ebpf}. */
    String name();

    /** Starts delivering records to {@code sink} from a thread of the source's own. */
    void start(CaptureSink sink) throws Exception;

    /** Stops delivering; returns once no more records will reach the sink. */
    void stop();

    /** The source's own counters (events, kernel drops, ...), by name. */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
