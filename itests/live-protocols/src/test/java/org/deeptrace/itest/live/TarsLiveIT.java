package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tars: protocol-plugins/tars/src/test/golden/record.sh (a TarsJava 1.7.3 client and a server loop on TarsJava's
 * codec in one JVM: calls over TarsJava's four connections, one with an x-request-id context, one answered with
 * iRet -99 and an exception text, eight concurrent calls) on port 17640, captured live through the fixture's
 * cgroup (the JVM's network threads are not called "java").
 */
class TarsLiveIT {
    static final int PORT = 17640;

    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
    }

    @Test
    void tarsJavaFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        Path fixture = FixtureProjects.build("tars", LiveEnv.plugin("tars").resolve("src/test/golden"));
        LiveRun run = LiveRun.recordCgroup("tars", Set.of(PORT), "tcp port " + PORT,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(90),
                        Map.of("TARS_FIXTURE", fixture.toString()),
                        launch.apply(List.of("sh", LiveEnv.plugin("tars").resolve("src/test/golden/record.sh")
                                .toString(), dir.toString(), String.valueOf(PORT)))));
        run.assertLiveEqualsPcap("Tars");
        // the cgroup holds the client and server threads of one JVM: the calls seen from the client's syscalls too
        run.assertClientSideEqualsPcap(Set.of(PORT), "Tars");
        // the eight concurrent calls take their request ids in the order their threads run: the golden
        // comparison (order-free) is about the calls, their sizes and outcomes; ids are compared with the pcap
        run.assertLiveMatchesGolden(Records.golden("tars", "tars-java.messages.jsonl"),
                Set.of("ts_ns", "src", "dst", "request_id"), "Tars");
        List<ObjectNode> requests = run.live().messagesOfType("request");
        assertEquals(11, requests.size(), "3 single calls, 8 concurrent");
        List<ObjectNode> spans = run.live().spans();
        assertEquals(11, spans.size(), "every call pairs with its answer by request id");
        assertEquals(List.of(-99), spans.stream().filter(s -> !"ok".equals(s.path("response_status").asText()))
                .map(s -> s.path("response_code").asInt()).toList(), "the one call answered with iRet -99");
    }
}
