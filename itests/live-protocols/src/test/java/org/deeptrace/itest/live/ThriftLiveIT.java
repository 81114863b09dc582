package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thrift: protocol-plugins/thrift/src/test/recording/record.sh (python3-thrift servers and clients of
 * store.thrift: binary and compact, framed and buffered, strict and non-strict, exceptions and oneway calls on
 * ports 17090..17094; THeader (binary, compact; info headers, zlib) and JSON (framed, buffered) on
 * 17095..17098), captured live through the fixture's cgroup.
 */
class ThriftLiveIT {
    static final int PORT = 17090;
    static final int HEADER_PORT = PORT + 5;
    static final Set<Integer> PORTS = IntStream.range(PORT, PORT + 9).boxed().collect(Collectors.toSet());
    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
        LiveEnv.require("thrift", "thrift-compiler");
        if (!LiveEnv.hasPythonModule("thrift")) {
            throw new AssertionError("/usr/bin/python3 has no thrift module: apt-get install -y python3-thrift");
        }
    }

    @Test
    void thriftFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        LiveRun run = LiveRun.recordCgroup("thrift", PORTS,
                PORTS.stream().sorted().map(p -> "tcp port " + p).collect(Collectors.joining(" or ")),
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(120),
                        Map.of("PORT", String.valueOf(PORT), "HEADER_PORT", String.valueOf(HEADER_PORT)),
                        launch.apply(List.of("sh", LiveEnv.plugin("thrift")
                                .resolve("src/test/recording/record.sh").toString(), dir.toString()))));
        // A framed server reads the 4-byte frame length alone first: the pipeline keeps those bytes and infers on
        // them together with the body, so the first request of each framed connection is parsed as in the pcap.
        run.assertLiveEqualsPcap("Thrift");
        List<ObjectNode> golden = Records.golden("thrift", "thrift-binary-framed.messages.jsonl",
                "thrift-binary-buffered.messages.jsonl", "thrift-binary-buffered-nonstrict.messages.jsonl",
                "thrift-compact-framed.messages.jsonl", "thrift-compact-buffered.messages.jsonl",
                "thrift-header-binary.messages.jsonl", "thrift-header-compact.messages.jsonl",
                "thrift-json-framed.messages.jsonl", "thrift-json-buffered.messages.jsonl");
        run.assertLiveMatchesGolden(golden, Set.of("ts_ns", "src", "dst"), "Thrift");
        List<ObjectNode> messages = run.live().messages();
        assertEquals(Set.of("binary/framed", "binary/buffered", "binary-old/buffered", "compact/framed",
                "compact/buffered", "binary/header", "compact/header", "json/framed", "json/buffered"),
                messages.stream().map(m -> m.path("version").asText()).collect(Collectors.toSet()),
                "every encoding and transport, the non-strict binary one included");
        assertTrue(run.live().spans().size() >= 9, "calls pair into spans: " + run.live().spans().size());
    }
}
