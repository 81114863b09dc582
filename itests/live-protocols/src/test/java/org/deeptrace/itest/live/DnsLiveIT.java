package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNS: protocol-plugins/dns/src/test/recording/record.sh (dnsmasq answering for the zone "test", dig over UDP and
 * TCP, IPv4 and IPv6, several queries on one TCP connection) on port 17053, captured live.
 */
class DnsLiveIT {
    static final int PORT = 17053;

    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
        LiveEnv.require("dnsmasq", "dnsmasq-base");
        LiveEnv.require("dig", "bind9-dnsutils");
    }

    @Test
    void dnsFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        LiveRun run = LiveRun.record("dns", List.of("dnsmasq"), Set.of(PORT), "port " + PORT,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(60),
                        Map.of("PORT", String.valueOf(PORT)),
                        launch.apply(List.of("sh", LiveEnv.plugin("dns")
                                .resolve("src/test/recording/record.sh").toString(), dir.toString()))));
        // dnsmasq reads a TCP query's 2-byte length one byte at a time: the pipeline keeps the bytes it cannot
        // infer from yet and judges them with the next read, so the first query of each TCP connection is parsed
        // live as in the pcap, where tcpdump sees it in one segment.
        assertEquals(2, firstTcpQueries(run.pcap().messages()).size(), "two TCP connections");
        run.assertLiveEqualsPcap("DNS");
        // dig picks a random query id per query: the ids are compared with the pcap above, not with the golden
        List<ObjectNode> golden = Records.golden("dns", "dns-udp.messages.jsonl", "dns-tcp.messages.jsonl");
        run.assertLiveMatchesGolden(golden, Set.of("ts_ns", "src", "dst", "request_id"), "DNS");
        List<ObjectNode> requests = run.live().messagesOfType("request");
        assertEquals(11, requests.size(), "7 queries over UDP, 4 over TCP");
        assertEquals(Set.of("udp", "tcp"), Set.copyOf(requests.stream().map(m -> m.path("l4").asText()).toList()));
        assertTrue(requests.stream().anyMatch(m -> m.path("dst").asText().startsWith("[::1]")), "over IPv6");
        assertEquals(11, run.live().spans().size(), "every query pairs with its answer");
    }

    /** The first query of each TCP connection, in time order. */
    static List<ObjectNode> firstTcpQueries(List<ObjectNode> messages) {
        Map<String, ObjectNode> first = new java.util.LinkedHashMap<>();
        messages.stream().filter(m -> "tcp".equals(m.path("l4").asText()) && "request".equals(m.path("type").asText()))
                .sorted(java.util.Comparator.comparingLong(m -> m.path("ts_ns").asLong()))
                .forEach(m -> first.putIfAbsent(m.path("src").asText(), m));
        return List.copyOf(first.values());
    }
}
