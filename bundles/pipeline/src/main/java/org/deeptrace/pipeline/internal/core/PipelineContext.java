package org.deeptrace.pipeline.internal.core;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeptrace.api.protocol.ProtocolParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every connection of one pipeline shares. */
final class PipelineContext {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineContext.class);
    private static final long LOG_INTERVAL_NS = 10_000_000_000L;

    private final ParserCatalog parsers;
    private final PipelineSettings settings;
    private final Counters counters;
    private final MessageOutput messages;
    private final SpanAssembler spans;
    private long lastFailureLogNs = Long.MIN_VALUE;
    private ProtocolRules rules = ProtocolRules.NONE;
    /** Pins already warned about under the current rules: one warning per pin, not one per connection. */
    private final Set<ProtocolRules.Pin> warnedPins = new HashSet<>();

    PipelineContext(ParserCatalog parsers, PipelineSettings settings, Counters counters, MessageOutput messages,
            SpanAssembler spans) {
        this.parsers = parsers;
        this.settings = settings;
        this.counters = counters;
        this.messages = messages;
        this.spans = spans;
    }

    ParserCatalog parsers() {
        return parsers;
    }

    PipelineSettings settings() {
        return settings;
    }

    Counters counters() {
        return counters;
    }

    MessageOutput messages() {
        return messages;
    }

    SpanAssembler spans() {
        return spans;
    }

    ProtocolRules rules() {
        return rules;
    }

    void rules(ProtocolRules rules) {
        this.rules = rules;
        warnedPins.clear();
    }

    /** A connection on a pinned port found its protocol missing: says so once per pin. */
    void pinUnavailable(ProtocolRules.Pin pin) {
        counters.increment("connections.pinned_unavailable");
        if (warnedPins.add(pin)) {
            List<ProtocolParser> installed = parsers.parsers();
            java.util.TreeSet<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            installed.forEach(p -> names.add(p.protocol()));
            String problem = rules.pinProblem(pin, names, String.join(", ", names));
            if (problem != null) {
                LOG.warn("{}", problem);
            }
        }
    }

    /** Logs a plugin's exception, at most once per interval, so a broken parser cannot flood the log. */
    void logParserFailure(String protocol, RuntimeException e) {
        long now = System.nanoTime();
        if (lastFailureLogNs == Long.MIN_VALUE || now - lastFailureLogNs > LOG_INTERVAL_NS) {
            lastFailureLogNs = now;
            LOG.warn("The {} parser threw on a connection; the connection falls back to protocol inference", protocol, e);
        }
    }
}
