package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A fixture's traffic recorded live and by tcpdump, both replayed through {@code bin/deeptrace replay}: the
 * messages and spans from the live capture (the servers' side) and from the pcap of the same packets.
 */
record LiveRun(Path dir, Path captureFile, Map<String, Long> capture, Replayed live, Replayed pcap) {

    /**
     * The fixture: the plugin's recording traffic, run in the given scratch directory; its commands go through
     * {@code launch}, which starts them where the capture follows them (in the run's cgroup, when it has one).
     */
    interface Fixture {
        void run(Path dir, UnaryOperator<List<String>> launch) throws Exception;
    }

    /**
     * Records {@code fixture} under a capture of the processes named {@code comms} and a tcpdump with
     * {@code tcpdumpFilter}; the capture records of {@code serverPorts} (the servers' side) are replayed.
     */
    static LiveRun record(String name, List<String> comms, Set<Integer> serverPorts, String tcpdumpFilter,
            Fixture fixture) throws Exception {
        List<String> target = new ArrayList<>();
        comms.forEach(c -> target.addAll(List.of("--comm", c)));
        return record(name, target, serverPorts, tcpdumpFilter, fixture, UnaryOperator.identity());
    }

    /** Like {@link #record(String, List, Set, String, Fixture)}, capturing every process of the fixture's cgroup. */
    static LiveRun recordCgroup(String name, Set<Integer> serverPorts, String tcpdumpFilter, Fixture fixture)
            throws Exception {
        try (Cgroup cgroup = Cgroup.create(name)) {
            return record(name, List.of("--cgroup", cgroup.dir.toString()), serverPorts, tcpdumpFilter, fixture,
                    cgroup::wrap);
        }
    }

    private static LiveRun record(String name, List<String> target, Set<Integer> serverPorts, String tcpdumpFilter,
            Fixture fixture, UnaryOperator<List<String>> launch) throws Exception {
        Map<String, Long> summary;
        try (LiveSession session = LiveSession.start(name, target, tcpdumpFilter)) {
            fixture.run(session.dir, launch);
            summary = session.stop();
            Replayed live = Replayed.of(Records.serverSide(session.capture, serverPorts,
                    session.dir.resolve(name + ".server.capture.jsonl")), session.dir, name + ".live");
            Replayed pcap = Replayed.of(session.pcap, session.dir, name + ".pcap");
            assertEquals(0L, summary.getOrDefault("kernel drops", -1L), "kernel drops: " + summary);
            assertEquals(0L, summary.getOrDefault("user drops", -1L), "user drops: " + summary);
            assertFalse(live.messages().isEmpty(), "no message from the live capture " + summary);
            return new LiveRun(session.dir, session.capture, summary, live, pcap);
        }
    }

    /** Replays the capture records {@code keep} selects (another view than the servers' side). */
    Replayed replayCaptured(String name, Predicate<JsonNode> keep) throws Exception {
        return Replayed.of(Records.select(captureFile, keep, dir.resolve(name + ".capture.jsonl")), dir, name);
    }

    /**
     * The same traffic seen through the clients' syscalls (the capture records whose remote port is one of
     * {@code serverPorts}; the fixture's clients must be captured too, e.g. in its cgroup) gives the pcap's
     * messages (but {@code ts_ns}), and one client span per pcap span, equal to it but kind, direction of the
     * addresses, ids, times and process fields. Returns that replay.
     */
    Replayed assertClientSideEqualsPcap(Set<Integer> serverPorts, String... protocols) throws Exception {
        String name = dir.getFileName() + ".client";
        Replayed client = Replayed.of(Records.clientSide(captureFile, serverPorts,
                dir.resolve(name + ".capture.jsonl")), dir, name);
        Predicate<ObjectNode> p = Records.protocol(protocols);
        Records.assertSame("messages, live capture of the clients' side vs tcpdump of the same traffic",
                Records.project(Records.filter(pcap.messages(), p), Set.of("ts_ns")),
                Records.project(Records.filter(client.messages(), p), Set.of("ts_ns")));
        List<ObjectNode> clientSpans = Records.filter(client.spans(), p);
        assertEquals(List.of("client"), clientSpans.stream().map(s -> s.path("kind").asText()).distinct().toList(),
                "the clients' side makes client spans");
        Records.assertSame("spans, live capture of the clients' side vs tcpdump of the same traffic",
                Records.project(Records.filter(pcap.spans(), p), Records.SPAN_RECORDING_FIELDS),
                Records.project(clientSpans.stream().map(Records::asServerView).toList(),
                        Records.SPAN_RECORDING_FIELDS));
        return client;
    }

    /**
     * The live messages of these protocols equal the pcap's, field for field but the timestamps (which differ
     * by the syscall-to-packet delay), and so do their spans (but ids, times and process fields).
     */
    void assertLiveEqualsPcap(String... protocols) {
        assertLiveEqualsPcap(r -> false, r -> false, protocols);
    }

    /**
     * Like {@link #assertLiveEqualsPcap(String...)}, with documented exceptions (see the callers): the messages
     * that {@code knownLiveGap} selects (missing from the live capture, or parsed otherwise there) and the spans
     * {@code spansNotCompared} selects are left out on both sides.
     */
    void assertLiveEqualsPcap(Predicate<ObjectNode> knownLiveGap, Predicate<ObjectNode> spansNotCompared,
            String... protocols) {
        Predicate<ObjectNode> p = Records.protocol(protocols).and(knownLiveGap.negate());
        Records.assertSame("messages, live capture vs tcpdump of the same traffic",
                Records.project(Records.filter(pcap.messages(), p), Set.of("ts_ns")),
                Records.project(Records.filter(live.messages(), p), Set.of("ts_ns")));
        Predicate<ObjectNode> spans = Records.protocol(protocols).and(spansNotCompared.negate());
        Records.assertSame("spans, live capture vs tcpdump of the same traffic",
                Records.project(Records.filter(pcap.spans(), spans), Records.SPAN_RECORDING_FIELDS),
                Records.project(Records.filter(live.spans(), spans), Records.SPAN_RECORDING_FIELDS));
    }

    /**
     * The live messages of these protocols carry the golden records' protocol-level content: equal once the
     * {@code drop} fields (at least times and addresses, which belong to a recording) are removed.
     */
    void assertLiveMatchesGolden(List<ObjectNode> golden, Set<String> drop, String... protocols) {
        assertLiveMatchesGolden(golden, r -> false, drop, protocols);
    }

    /** Like the above, without the messages {@code knownLiveGap} selects on either side. */
    void assertLiveMatchesGolden(List<ObjectNode> golden, Predicate<ObjectNode> knownLiveGap, Set<String> drop,
            String... protocols) {
        Predicate<ObjectNode> p = Records.protocol(protocols).and(knownLiveGap.negate());
        Records.assertSame("messages, live capture vs the plugin's golden records (without " + drop + ")",
                Records.project(Records.filter(golden, p), drop),
                Records.project(Records.filter(live.messages(), p), drop));
    }
}
