package org.deeptrace.pipeline.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.pipeline.internal.core.ProtocolRules;
import org.deeptrace.pipeline.internal.core.ScoredProtocol;
import org.junit.jupiter.api.Test;

/** Pins and disabled names no plugin satisfies: warned once each, when plugins settle, and when they come and go. */
class ProtocolRulesWatchTest {
    static final String FILE = "/opt/deeptrace/etc/org.deeptrace.pipeline.cfg";
    static final long S = 1_000_000_000L;

    final List<String> log = new ArrayList<>();
    final ProtocolRulesWatch watch = new ProtocolRulesWatch(new ProtocolRulesWatch.Report() {
        @Override
        public void warn(String message) {
            log.add("WARN " + message);
        }

        @Override
        public void resolved(String message) {
            log.add("INFO " + message);
        }
    });
    final ProtocolParser redis = new ScoredProtocol("Redis", 0.9);
    final ProtocolParser http2 = new ScoredProtocol("HTTP2", 0.9);

    static ProtocolRules pins(String... entries) {
        List<ProtocolRules.Pin> pins = new ArrayList<>();
        for (String e : entries) {
            String[] kv = e.split("=");
            pins.add(new ProtocolRules.Pin(Transport.TCP, Integer.parseInt(kv[0]), kv[1], e));
        }
        return ProtocolRules.of(List.of(), pins, FILE);
    }

    @Test
    void aPinToAMissingProtocolIsWarnedOnceThePluginsHaveSettledAndTheBootIsOver() {
        ProtocolRules rules = pins("9090=HTTP2", "6380=REDIS");
        List<ProtocolParser> plugins = List.of(redis);
        watch.observe(rules, plugins, 0);
        assertFalse(watch.checkIfDue(S / 2, true), "plugins may still be arriving");
        assertFalse(watch.checkIfDue(2 * S, false), "the container is still installing its boot features");
        watch.observe(rules, plugins, 2 * S); // nothing changed: the quiet period is not restarted
        assertTrue(watch.checkIfDue(2 * S, true));
        assertEquals(List.of("WARN " + FILE + ": protocols.ports = '9090=HTTP2': no protocol plugin named 'HTTP2' is"
                + " installed (installed: Redis); connections on port 9090 are inferred"), log);

        watch.observe(rules, plugins, 3 * S);
        assertFalse(watch.checkIfDue(10 * S, true), "checked already, nothing changed since");
        assertEquals(1, log.size());
        assertEquals(List.of("9090=HTTP2"), watch.outstanding().stream().map(ProtocolRules.Problem::value).toList());
    }

    @Test
    void aPluginArrivingLateResetsTheQuietPeriod() {
        ProtocolRules rules = pins("9090=HTTP2");
        watch.observe(rules, List.of(redis), 0);
        watch.observe(rules, List.of(redis, http2), S * 9 / 10);
        assertFalse(watch.checkIfDue(S, true));
        assertTrue(watch.checkIfDue(2 * S, true));
        assertEquals(List.of(), log, "HTTP2 arrived in time: nothing to warn about");
    }

    @Test
    void uninstallingAPluginWarnsItsPinsAndInstallingItClearsTheWarning() {
        ProtocolRules rules = pins("9090=HTTP2", "6380=REDIS", "6381=redis");
        watch.observe(rules, List.of(redis, http2), 0);
        watch.checkIfDue(S, true);
        assertEquals(List.of(), log);

        watch.observe(rules, List.of(http2), 5 * S); // the Redis plugin's bundle is uninstalled
        watch.checkIfDue(6 * S, true);
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("WARN " + FILE + ": protocols.ports = '6380=REDIS': no protocol plugin"),
                log.get(0));
        assertTrue(log.get(1).contains("'6381=redis'"), log.get(1));

        log.clear();
        watch.observe(rules, List.of(http2, new ScoredProtocol("DNS", 0.9)), 7 * S); // another plugin: no news
        watch.checkIfDue(8 * S, true);
        assertEquals(List.of(), log, "pins still unresolved are not warned again");

        watch.observe(rules, List.of(http2, redis), 9 * S); // Redis is back
        watch.checkIfDue(10 * S, true);
        assertEquals(List.of(
                "INFO " + FILE + ": protocols.ports '6380=REDIS' is resolved: a plugin providing it is installed now",
                "INFO " + FILE + ": protocols.ports '6381=redis' is resolved: a plugin providing it is installed now"),
                log);
        assertEquals(List.of(), watch.outstanding());
    }

    @Test
    void aChangedConfigurationIsWarnedAboutAgainButTheSameOneIsNot() {
        List<ProtocolParser> plugins = List.of(redis);
        watch.observe(pins("9090=HTTP2"), plugins, 0);
        watch.checkIfDue(S, true);
        assertEquals(1, log.size());

        watch.observe(pins("9090=HTTP2"), plugins, 2 * S); // the file saved again, same values
        watch.checkIfDue(3 * S, true);
        assertEquals(1, log.size());

        watch.observe(pins("9090=HTTP2", "9091=HTTP2"), plugins, 4 * S);
        watch.checkIfDue(5 * S, true);
        assertEquals(3, log.size(), "new rules: every problem they have is said: " + log);
    }

    @Test
    void disabledNamesNoPluginHasAreWarnedToo() {
        watch.observe(ProtocolRules.of(List.of("thrift"), List.of(), FILE), List.of(redis), 0);
        watch.checkIfDue(S, true);
        assertEquals(List.of("WARN " + FILE + ": protocols.disabled names 'thrift', which no installed protocol plugin"
                + " has (installed: Redis)"), log);
    }

    @Test
    void aReplayCheckingFirstAndThePipelineCheckingLaterWarnOnce() {
        ProtocolRules rules = pins("9090=HTTP2");
        List<ProtocolParser> plugins = List.of(redis);
        watch.observe(rules, plugins, 0);
        watch.check(rules, plugins); // a replay, before the quiet period is over
        assertEquals(1, log.size());
        assertFalse(watch.checkIfDue(S, true), "the replay's check covered what was observed");
        assertEquals(1, log.size());
    }
}
