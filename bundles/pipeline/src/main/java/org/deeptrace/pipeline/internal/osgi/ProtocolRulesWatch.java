package org.deeptrace.pipeline.internal.osgi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.pipeline.internal.core.ProtocolRules;

/**
 * Tells the operator which {@code protocols.ports} pins and {@code protocols.disabled} names no installed plugin
 * satisfies: at boot once the plugins have arrived, after a configuration change, and whenever the plugin set changes.
 * Each problem is warned once while it lasts; when a plugin arrives that resolves it, that is said too.
 *
 * <p>Plugins register one by one (at boot, and when a feature brings several): a check waits until the plugin set
 * and the rules have been unchanged for {@link #QUIET_NS}, so a pin whose plugin is a moment late is not warned about.
 * Thread-safe: the pipeline thread polls it, a replay checks it directly.
 */
final class ProtocolRulesWatch {
    /** How long the plugin set and the rules must stay unchanged before they are checked. */
    static final long QUIET_NS = 1_000_000_000L;

    /** Where the findings go (the log; a list in tests). */
    interface Report {
        void warn(String message);

        void resolved(String message);
    }

    private final Report report;
    /** What was last observed, by identity (a new configuration or plugin set is a new object), and when. */
    private ProtocolRules observedRules;
    private List<ProtocolParser> observedParsers;
    private long changedNs;
    private boolean due;
    /** The rules the outstanding problems were found under, and those problems by key and value. */
    private ProtocolRules checkedRules;
    private Map<String, ProtocolRules.Problem> outstanding = new LinkedHashMap<>();

    ProtocolRulesWatch(Report report) {
        this.report = report;
    }

    /** Notes the current rules and plugins; a change starts the quiet period anew. */
    synchronized void observe(ProtocolRules rules, List<ProtocolParser> parsers, long nowNs) {
        if (rules != observedRules || parsers != observedParsers) {
            observedRules = rules;
            observedParsers = parsers;
            changedNs = nowNs;
            due = true;
        }
    }

    /**
     * Checks what was last observed when it has been quiet long enough and the container has finished booting.
     *
     * @return whether a check ran
     */
    synchronized boolean checkIfDue(long nowNs, boolean bootFinished) {
        if (!due || !bootFinished || nowNs - changedNs < QUIET_NS) {
            return false;
        }
        check(observedRules, observedParsers);
        return true;
    }

    /**
     * Checks {@code rules} against {@code parsers} now: warns about each problem not warned about yet, and says which
     * earlier ones are resolved. Rules that differ from the last checked ones (a configuration change) have all their
     * problems warned again.
     */
    synchronized void check(ProtocolRules rules, List<ProtocolParser> parsers) {
        if (rules == observedRules && parsers == observedParsers) {
            due = false;
        }
        if (!rules.equals(checkedRules)) {
            checkedRules = rules;
            outstanding = new LinkedHashMap<>();
        }
        Map<String, ProtocolRules.Problem> found = new LinkedHashMap<>();
        for (ProtocolRules.Problem p : rules.findProblems(parsers)) {
            found.put(p.key() + "\u0000" + p.value().toLowerCase(java.util.Locale.ROOT), p);
        }
        found.forEach((k, p) -> {
            if (!outstanding.containsKey(k)) {
                report.warn(p.message());
            }
        });
        outstanding.forEach((k, p) -> {
            if (!found.containsKey(k)) {
                report.resolved(rules.source() + ": " + p.key() + " '" + p.value() + "' is resolved: a plugin"
                        + " providing it is installed now");
            }
        });
        outstanding = found;
    }

    /** The problems warned about and not resolved since, in the order found. */
    synchronized List<ProtocolRules.Problem> outstanding() {
        return List.copyOf(outstanding.values());
    }
}
