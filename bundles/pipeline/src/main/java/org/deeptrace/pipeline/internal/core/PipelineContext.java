package org.deeptrace.pipeline.internal.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every connection of one pipeline shares. */
final class PipelineContext {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineContext.class);
    private static final long LOG_INTERVAL_NS = 10_000_000_000L;

    private final ParserCatalog parsers;
    private final Counters counters;
    private final MessageOutput messages;
    private final SpanAssembler spans;
    private long lastFailureLogNs = Long.MIN_VALUE;
    private ProtocolRules rules = ProtocolRules.NONE;
    private double minConfidence;
    /**
     * Incremented whenever what inference may choose changes (rules, threshold): connections still without a
     * protocol start their inference attempts afresh, so a connection given up on is judged again by the new rules.
     */
    private int inferenceGeneration;

    PipelineContext(ParserCatalog parsers, PipelineSettings settings, Counters counters, MessageOutput messages,
            SpanAssembler spans) {
        this.parsers = parsers;
        this.minConfidence = settings.minConfidence();
        this.counters = counters;
        this.messages = messages;
        this.spans = spans;
    }

    ParserCatalog parsers() {
        return parsers;
    }

    /** Lowest confidence at which inference accepts a protocol ({@code min.confidence}). */
    double minConfidence() {
        return minConfidence;
    }

    int inferenceGeneration() {
        return inferenceGeneration;
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

    /** New rules; true when they differ from the current ones (undecided connections are then judged afresh). */
    boolean rules(ProtocolRules rules) {
        if (rules.equals(this.rules)) {
            return false;
        }
        this.rules = rules;
        inferenceGeneration++;
        return true;
    }

    /** A new inference threshold; true when it differs from the current one. */
    boolean minConfidence(double minConfidence) {
        if (minConfidence == this.minConfidence) {
            return false;
        }
        this.minConfidence = minConfidence;
        inferenceGeneration++;
        return true;
    }

    /**
     * A connection on a pinned port found its protocol missing. Counted only: the operator is told about the pin
     * once, by whoever owns the configuration (the live pipeline at boot and on every change), not per connection.
     */
    void pinUnavailable() {
        counters.increment("connections.pinned_unavailable");
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
