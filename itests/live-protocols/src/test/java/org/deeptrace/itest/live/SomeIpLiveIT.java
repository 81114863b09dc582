package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SOME/IP: protocol-plugins/someip/src/test/golden/record.sh (SomeIpTraffic.java: a SYNTHETIC, spec-following
 * SOME/IP sender over real loopback sockets, no real SOME/IP stack being installable here): SOME/IP-SD over UDP,
 * requests, errors, pipelined calls and SOME/IP-TP over TCP, several messages per datagram and SOME/IP-TP over UDP
 * (a repeated segment, a response whose segments arrive last first), captured live through the fixture's cgroup
 * (a JVM: its network threads are not called "java").
 *
 * <p>Ports: SD service 17700, TCP 17701, UDP 17702, SD client 17703. The golden recording has SD on 30490 at both
 * ends; here the SD client has a port of its own, so the capture's server side (records whose local port is a
 * server port) holds each SD datagram once, as tcpdump does.
 */
class SomeIpLiveIT {
    static final int PORT = 17700;
    static final Set<Integer> SERVER_PORTS = Set.of(PORT, PORT + 1, PORT + 2);

    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
        LiveEnv.require("java", "openjdk-17-jdk-headless");
    }

    @Test
    void someIpFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        LiveRun run = LiveRun.recordCgroup("someip", SERVER_PORTS,
                SERVER_PORTS.stream().sorted().map(p -> "port " + p).collect(Collectors.joining(" or ")),
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(120),
                        Map.of("PORT", String.valueOf(PORT)),
                        launch.apply(List.of("sh", LiveEnv.plugin("someip")
                                .resolve("src/test/golden/record.sh").toString(), dir.toString()))));
        run.assertLiveEqualsPcap("SomeIP");
        // the fixture's ids, types and sizes are fixed: only times and addresses belong to the recording
        List<ObjectNode> golden = Records.golden("someip", "someip-synthetic.messages.jsonl");
        run.assertLiveMatchesGolden(golden, Set.of("ts_ns", "src", "dst"), "SomeIP");

        List<ObjectNode> messages = run.live().messages();
        assertEquals(29, messages.size(), "every message of the fixture, each once");
        assertEquals(5, messages.stream().filter(m -> "0xFFFF.0x8100".equals(m.path("endpoint").asText())).count(),
                "SOME/IP-SD");
        // SOME/IP-TP: one record per original message, live as from the pcap
        assertEquals(List.of(3016L), sizes(messages, "tcp", "0x1234.0x0004"));
        assertEquals(List.of(4016L), sizes(messages, "udp", "0x4321.0x0004"), "the repeated segment counts once");
        List<ObjectNode> spans = run.live().spans();
        assertEquals(12, spans.size(), "every call that expects an answer, and the fire-and-forget one");
        ObjectNode udpTp = spans.stream().filter(s -> "0x4321.0x0004".equals(s.path("endpoint").asText()))
                .findFirst().orElseThrow();
        assertEquals(4016, udpTp.path("req_size").asLong());
        assertEquals(2016, udpTp.path("resp_size").asLong(), "response segments reassembled last first");
        assertEquals("ok", udpTp.path("response_status").asText());
        assertTrue(spans.stream().filter(s -> s.path("endpoint").asText().startsWith("0x1234.0x0001"))
                .allMatch(s -> "ok".equals(s.path("response_status").asText())), "pipelined calls answered");
    }

    private static List<Long> sizes(List<ObjectNode> messages, String l4, String endpoint) {
        return messages.stream().filter(m -> l4.equals(m.path("l4").asText())
                && endpoint.equals(m.path("endpoint").asText())).map(m -> m.path("size").asLong()).toList();
    }
}
