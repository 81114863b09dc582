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
 * bRPC: protocol-plugins/brpc/src/test/golden/record.sh (a brpc-java 3.0.5 server and client in one JVM,
 * baidu_std: an Echo call, one with a log id, an x-request-id kv and a binary attachment, a failing call retried
 * three times, eight concurrent calls pipelined on one connection) on port 17630, captured live through the
 * fixture's cgroup (the JVM's network threads are not called "java").
 */
class BrpcLiveIT {
    static final int PORT = 17630;

    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
    }

    @Test
    void brpcJavaFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        Path fixture = FixtureProjects.build("brpc", LiveEnv.plugin("brpc").resolve("src/test/golden"));
        LiveRun run = LiveRun.recordCgroup("brpc", Set.of(PORT), "tcp port " + PORT,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(90),
                        Map.of("BRPC_FIXTURE", fixture.toString()),
                        launch.apply(List.of("sh", LiveEnv.plugin("brpc").resolve("src/test/golden/record.sh")
                                .toString(), dir.toString(), String.valueOf(PORT)))));
        run.assertLiveEqualsPcap("bRPC");
        // the cgroup holds the client and server threads of one JVM: the calls seen from the client's syscalls too
        run.assertClientSideEqualsPcap(Set.of(PORT), "bRPC");
        // the eight concurrent calls take their correlation ids in the order their threads run: the golden
        // comparison (order-free) is about the calls, their sizes and outcomes; ids are compared with the pcap
        run.assertLiveMatchesGolden(Records.golden("brpc", "brpc-baidu-std.messages.jsonl"),
                Set.of("ts_ns", "src", "dst", "request_id"), "bRPC");
        List<ObjectNode> requests = run.live().messagesOfType("request");
        assertEquals(2 + 3 + 8, requests.size(), "2 echo calls, 3 attempts of the failing call, 8 concurrent");
        List<ObjectNode> spans = run.live().spans();
        assertEquals(13, spans.size(), "every call pairs with its answer by correlation id");
        assertEquals(3, spans.stream().filter(s -> s.path("response_code").asInt() == 2001).count(),
                "the failing call's three attempts answered EINTERNAL");
    }
}
