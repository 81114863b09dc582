package org.deeptrace.api.sender;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;

/**
 * Exports finished spans to a backend, registered as an OSGi service. The pipeline gives each active sender
 * its own bounded queue and thread, so a slow backend never stalls parsing; calls come from that one thread.
 */
public interface SpanSender {

    /** Short name shown in status output, e.g. {@code file}. */
    String name();

    /** Exports one batch, in order. */
    SendResult send(List<Span> spans);

    /** Pushes out anything buffered. */
    default SendResult flush() {
        return SendResult.SUCCESS;
    }

    /**
     * The sender's own counters (sent, retried, spooled, dropped, ...), by name; shown in status output as
     * {@code sender.NAME.KEY}. Called from any thread.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
