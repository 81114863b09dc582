package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SOFARPC: protocol-plugins/sofarpc/src/test/recording/record.sh (SOFARPC 5.13.2 provider and consumer of
 * src/test/golden: Bolt v1, Hessian2, a business exception, a missing service, eight concurrent calls answered in
 * reverse order on one connection, Bolt heartbeats every idle second) on port 17620, captured live through the
 * fixture's cgroup (the JVMs' network threads are not called "java").
 */
class SofaRpcLiveIT {
    static final int PORT = 17620;

    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
    }

    @Test
    void sofaRpcFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        Path fixture = FixtureProjects.build("sofarpc", LiveEnv.plugin("sofarpc").resolve("src/test/golden"));
        LiveRun run = LiveRun.recordCgroup("sofarpc", Set.of(PORT), "tcp port " + PORT,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(90),
                        Map.of("SOFARPC_FIXTURE", fixture.toString()),
                        launch.apply(List.of("sh", LiveEnv.plugin("sofarpc")
                                .resolve("src/test/recording/record.sh").toString(), dir.toString(),
                                String.valueOf(PORT)))));
        run.assertLiveEqualsPcap("SofaRPC");
        // the cgroup holds the consumer JVM: the calls seen from the client's syscalls too
        run.assertClientSideEqualsPcap(Set.of(PORT), "SofaRPC");
        // heartbeats (session messages) depend on idle timing, and Bolt numbers them from the same counter as
        // the calls, so request ids shift with them; SOFATracer's trace id holds the time in ms and the pid and
        // travels in the request header (a request's size varies with the pid's number of digits): the golden
        // comparison is about the calls and their outcomes; ids and sizes are compared with the pcap above
        run.assertLiveMatchesGolden(Records.golden("sofarpc", "sofarpc-bolt.messages.jsonl"),
                m -> "session".equals(m.path("type").asText()),
                Set.of("ts_ns", "src", "dst", "request_id", "trace_id", "size"), "SofaRPC");
        List<ObjectNode> requests = run.live().messagesOfType("request");
        assertEquals(14, requests.size(), "3 calls, a failing one, a missing service, 8 concurrent, a last one");
        // SOFATracer's trace id: the IPv4 address in hex, the time in ms, a 4-digit sequence, the pid
        assertTrue(requests.stream().allMatch(m -> m.path("trace_id").asText().matches("[0-9a-f]{8}[0-9]{18,}")),
                "SOFATracer's trace id from every request header");
        assertEquals(14, run.live().spans().size(), "every call pairs with its answer by request id");
        assertEquals(2, run.live().spans().stream()
                .filter(s -> "server_error".equals(s.path("response_status").asText())).count(),
                "the business exception and the missing service");
    }
}
