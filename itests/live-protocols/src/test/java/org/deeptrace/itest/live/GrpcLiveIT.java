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
 * gRPC: protocol-plugins/http2/src/test/recording/record-grpc.sh (grpc-java 1.53.0 server and client of
 * src/test/grpc-golden: unary, server/client/bidi streaming, a NOT_FOUND status) on port 17051, captured live
 * through the fixture's cgroup (the JVMs' network threads are not called "java").
 */
class GrpcLiveIT {
    static final int PORT = 17051;

    @BeforeAll
    static void prerequisites() {
        LiveEnv.assumeLiveCapturePossible();
    }

    @Test
    void grpcJavaFixtureTrafficLiveEqualsPcapAndGolden() throws Exception {
        Path fixture = FixtureProjects.build("grpc", LiveEnv.plugin("http2").resolve("src/test/grpc-golden"));
        LiveRun run = LiveRun.recordCgroup("grpc", Set.of(PORT), "tcp port " + PORT,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(90),
                        Map.of("GRPC_FIXTURE", fixture.toString()),
                        launch.apply(List.of("sh", LiveEnv.plugin("http2")
                                .resolve("src/test/recording/record-grpc.sh").toString(), dir.toString(),
                                String.valueOf(PORT)))));
        run.assertLiveEqualsPcap("gRPC", "HTTP2");
        // sizes vary from run to run: grpc-java sends a call's end of stream on its last DATA frame or on an
        // empty one of its own (9 more bytes) depending on timing; they are compared with the pcap above
        run.assertLiveMatchesGolden(Records.golden("http2", "grpc-java.messages.jsonl"),
                Set.of("ts_ns", "src", "dst", "size"), "gRPC", "HTTP2");
        List<ObjectNode> responses = run.live().messagesOfType("response");
        assertEquals(List.of(0, 0, 0, 0, 0, 5), responses.stream().map(m -> m.path("response_code").asInt()).toList(),
                "grpc-status of each call, from the trailers");
        assertEquals(6, run.live().spans().size(), "one span per call, streaming calls included");
    }
}
