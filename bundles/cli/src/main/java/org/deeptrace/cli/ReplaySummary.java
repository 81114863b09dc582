package org.deeptrace.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeptrace.api.runtime.ReplayReport;

/** The few lines {@code deeptrace replay} prints on standard output when it is done. */
final class ReplaySummary {

    private ReplaySummary() {
    }

    static List<String> lines(ReplayReport report, ReplayOptions options) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "records     %d read, %d skipped", report.records(), report.skipped()));
        lines.add("messages    " + perProtocol(report.messagesByProtocol()));
        lines.add("spans       " + perProtocol(report.spansByProtocol()));
        lines.add(String.format(Locale.ROOT, "correlator  %s: %d client spans decided, %d parented%s",
                report.correlator(), report.clientSpans(), report.parented(),
                percent(report.parented(), report.clientSpans())));
        Map<String, Long> problems = problemCounters(report.counters());
        if (!problems.isEmpty()) {
            lines.add("problems    " + joined(problems));
        }
        if (options.spansOut() != null) {
            lines.add("spans to    " + options.spansOut());
        }
        if (options.messagesOut() != null) {
            lines.add("messages to " + options.messagesOut());
        }
        return lines;
    }

    /** {@code HTTP1 120, Redis 40 (total 160)}, or {@code none}. */
    static String perProtocol(Map<String, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return "none";
        }
        Map<String, Long> sorted = new TreeMap<>(counts);
        long total = sorted.values().stream().mapToLong(Long::longValue).sum();
        List<String> parts = new ArrayList<>();
        sorted.forEach((protocol, count) -> parts.add(protocol + " " + count));
        return String.join(", ", parts) + (sorted.size() > 1 ? " (total " + total + ")" : "");
    }

    /**
     * Counters of what was lost, skipped or refused on the way (docs/counters.md): non-zero ones are worth a line.
     * Statistics such as {@code records.in} or {@code messages.HTTP1} are not.
     */
    private static final List<String> LOSS_PREFIXES = List.of("drops.", "stream.gap", "stream.truncated_bytes",
            "stream.resets", "bytes.unparsed", "connections.unknown_protocol", "connections.reinferred",
            "connections.parser_removed", "parse.", "exchanges.", "correlation.errors", "correlation.invalid_decisions",
            "correlation.unavailable", "pipeline.errors", "sender.exceptions", "sources.failed");

    /** Non-zero counters of losses, and any other non-zero counter whose name speaks of drops or errors. */
    static Map<String, Long> problemCounters(Map<String, Long> counters) {
        Map<String, Long> problems = new TreeMap<>();
        if (counters == null) {
            return problems;
        }
        counters.forEach((name, value) -> {
            if (value != null && value != 0 && isProblem(name)) {
                problems.put(name, value);
            }
        });
        return problems;
    }

    private static boolean isProblem(String name) {
        for (String prefix : LOSS_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        for (String part : name.toLowerCase(Locale.ROOT).split("[._]")) {
            if (part.startsWith("drop") || part.startsWith("error")) {
                return true;
            }
        }
        return false;
    }

    private static String joined(Map<String, Long> counters) {
        List<String> parts = new ArrayList<>();
        counters.forEach((name, value) -> parts.add(name + " " + value));
        return String.join(", ", parts);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100.0 * part / whole);
    }
}
