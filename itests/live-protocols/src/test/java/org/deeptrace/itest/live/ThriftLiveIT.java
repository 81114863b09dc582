package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thrift: protocol-plugins/thrift/src/test/recording/record.sh (python3-thrift servers and clients of
 * store.thrift: binary and compact, framed and buffered, strict and non-strict, exceptions and oneway calls)
 * on ports 17090..17094, captured live through the fixture's cgroup.
 */
class ThriftLiveIT {
    static final int PORT = 17090;
    static final Set<Integer> PORTS = IntStream.range(PORT, PORT + 5).boxed().collect(Collectors.toSet());
    /** The servers with the framed transport (binary, compact): record.sh's first and fourth. */
    static final Set<Integer> FRAMED = Set.of(PORT, PORT + 3);

    static int portOf(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

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
                        Map.of("PORT", String.valueOf(PORT)),
                        launch.apply(List.of("sh", LiveEnv.plugin("thrift")
                                .resolve("src/test/recording/record.sh").toString(), dir.toString()))));
        // Known difference (the pipeline's inference bug, as for DNS): a framed server reads the 4-byte frame
        // length alone first; the pipeline infers on that read alone, drops it (bytes.unparsed) and infers on
        // the body, so the first request of each framed connection comes out as ".../buffered", 4 bytes short.
        Predicate<ObjectNode> framedClient = m -> "request".equals(m.path("type").asText())
                && FRAMED.contains(portOf(m.path("dst").asText()));
        Predicate<ObjectNode> firstFramedRequest = Records.firstOfEach(run.pcap().messages(), framedClient,
                m -> m.path("src").asText(), "ts_ns").or(Records.firstOfEach(run.live().messages(), framedClient,
                m -> m.path("src").asText(), "ts_ns"));
        Predicate<ObjectNode> framedSpan = sp -> FRAMED.contains(portOf(sp.path("local").asText()));
        Predicate<ObjectNode> firstFramedSpan = Records.firstOfEach(run.pcap().spans(), framedSpan,
                sp -> sp.path("remote").asText(), "start_ns").or(Records.firstOfEach(run.live().spans(), framedSpan,
                sp -> sp.path("remote").asText(), "start_ns"));
        run.assertLiveEqualsPcap(firstFramedRequest, firstFramedSpan, "Thrift");
        List<ObjectNode> golden = Records.golden("thrift", "thrift-binary-framed.messages.jsonl",
                "thrift-binary-buffered.messages.jsonl", "thrift-binary-buffered-nonstrict.messages.jsonl",
                "thrift-compact-framed.messages.jsonl", "thrift-compact-buffered.messages.jsonl");
        Predicate<ObjectNode> goldenFramedClient = m -> "request".equals(m.path("type").asText())
                && m.path("version").asText().endsWith("/framed");
        run.assertLiveMatchesGolden(golden, Records.firstOfEach(golden, goldenFramedClient,
                m -> m.path("src").asText(), "ts_ns").or(firstFramedRequest), Set.of("ts_ns", "src", "dst"),
                "Thrift");
        List<ObjectNode> messages = run.live().messages();
        assertEquals(Set.of("binary/framed", "binary/buffered", "binary-old/buffered", "compact/framed",
                "compact/buffered"), messages.stream().map(m -> m.path("version").asText()).collect(Collectors.toSet()),
                "every encoding and transport, the non-strict binary one included");
        assertTrue(run.live().spans().size() >= 5, "calls pair into spans: " + run.live().spans().size());
    }
}
