package org.deeptrace.sender.opensearch.internal;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.sender.SendResult;
import org.deeptrace.api.sender.SpanSender;

/**
 * The OpenSearch sender outside OSGi — for benchmarks and plain-Java tools — configured with the same keys as
 * etc/org.deeptrace.sender.opensearch.cfg ({@code enabled} is ignored). Close it to flush and stop its threads.
 */
public final class StandaloneSender implements SpanSender, AutoCloseable {
    private final Shipper shipper;

    private StandaloneSender(Shipper shipper) {
        this.shipper = shipper;
    }

    /** Starts a sender; bad values fail with {@code key = 'value' reason}. */
    public static StandaloneSender start(Map<String, ?> config) {
        return new StandaloneSender(OpenSearchSender.start(SenderSettings.from(config)));
    }

    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public SendResult send(List<Span> spans) {
        shipper.add(spans);
        return SendResult.SUCCESS;
    }

    @Override
    public SendResult flush() {
        shipper.flush();
        return SendResult.SUCCESS;
    }

    /** The same counters as {@link OpenSearchSender#counters()}. */
    public Map<String, Long> counters() {
        return shipper.counters();
    }

    @Override
    public void close() {
        shipper.close();
    }
}
