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
 * Dubbo: protocol-plugins/dubbo/src/test/recording/record.sh (Apache Dubbo 3.3.6 provider and consumer of
 * src/test/golden: Hessian2, exceptions, a missing service and method, eight slow calls answered out of order,
 * heartbeats) on port 17880, captured live through the fixture's cgroup.
 */
class DubboLiveIT {
    static final int PORT = 17880;

    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
    }

    @Test
    void dubboFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        Path fixture = FixtureProjects.build("dubbo", LiveEnv.plugin("dubbo").resolve("src/test/golden"));
        LiveRun run = LiveRun.recordCgroup("dubbo", Set.of(PORT), "tcp port " + PORT,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(120),
                        Map.of("DUBBO_FIXTURE", fixture.toString()),
                        launch.apply(List.of("sh", LiveEnv.plugin("dubbo")
                                .resolve("src/test/recording/record.sh").toString(), dir.toString(),
                                String.valueOf(PORT)))));
        run.assertLiveEqualsPcap("Dubbo");
        // heartbeats depend on timing, request ids on the order the consumer's threads ran in, and the
        // unserializable exception's message (and so its size) quotes the response id: the golden comparison is
        // about the calls and their outcomes; ids, sizes and exception texts are compared with the pcap above
        run.assertLiveMatchesGolden(Records.golden("dubbo", "dubbo-hessian2.messages.jsonl"),
                m -> "session".equals(m.path("type").asText()),
                Set.of("ts_ns", "src", "dst", "request_id", "size", "response_exception"), "Dubbo");
        List<ObjectNode> requests = run.live().messagesOfType("request");
        assertEquals(16, requests.size());
        assertEquals(16, run.live().spans().size(), "every call pairs with its answer by request id");
    }
}
