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
 * HTTP/1: protocol-plugins/http1/src/test/recording/pcap/record.sh (curl and a python client against nginx, which
 * serves static files and proxies /api/ to a python3 http.server backend over an upstream keep-alive connection:
 * keep-alive, pipelining, POST, chunked, 404/500, HEAD, 304, bodies larger than the 4 KiB payload prefix,
 * Expect: 100-continue, static files through sendfile()) on the golden recording's ports 17580/17581, captured
 * live through the fixture's cgroup (nginx master and worker, python, curl).
 */
class HttpLiveIT {
    static final int NGINX = 17580;
    static final int BACKEND = 17581;
    /** The golden records of the same traffic, replayed by bundles/testkit-pcap's Http1NginxGoldenTest. */
    static final String GOLDEN = "bundles/testkit-pcap/src/test/resources/http1/nginx-python.messages.jsonl";

    static LiveRun run;

    @BeforeAll
    static void recordTheFixtureTraffic() throws Exception {
        LiveEnv.assumeLiveCapturePossible();
        LiveEnv.require("nginx", "nginx-light");
        LiveEnv.require("curl", "curl");
        run = LiveRun.recordCgroup("http1", Set.of(NGINX, BACKEND),
                "tcp port " + NGINX + " or tcp port " + BACKEND,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(60),
                        Map.of("PORT", String.valueOf(NGINX), "BACKEND_PORT", String.valueOf(BACKEND)),
                        launch.apply(List.of("sh", LiveEnv.plugin("http1")
                                .resolve("src/test/recording/pcap/record.sh").toString(), dir.toString()))));
    }

    @Test
    void messagesAndSpansLiveEqualPcapAndGolden() throws Exception {
        run.assertLiveEqualsPcap("HTTP1");
        List<ObjectNode> golden = Records.read(LiveEnv.ROOT.resolve(GOLDEN));
        run.assertLiveMatchesGolden(golden, Set.of("ts_ns", "src", "dst"), "HTTP1");
    }

    /** The clients' side (curl, the python client, and nginx calling the backend): client spans, same records. */
    @Test
    void clientSideLiveEqualsPcap() throws Exception {
        Replayed client = run.assertClientSideEqualsPcap(Set.of(NGINX, BACKEND), "HTTP1");
        assertEquals(8, Records.filter(client.spans(), Records.protocol("HTTP1")).stream()
                .filter(s -> "nginx".equals(s.path("comm").asText())).count(), "nginx's calls to the backend");
    }

    @Test
    void spansOfBothTiers() {
        List<ObjectNode> spans = Records.filter(run.live().spans(), Records.protocol("HTTP1"));
        assertEquals(26, spans.size(), "18 exchanges with nginx, 8 with the backend: " + spans);
        assertEquals(18, spans.stream().filter(s -> s.path("local").asText().endsWith(":" + NGINX)).count());
        assertTrue(spans.stream().allMatch(s -> "server".equals(s.path("kind").asText())), spans.toString());
        assertEquals(Set.of("nginx", "python3"), spans.stream().map(s -> s.path("comm").asText())
                .collect(java.util.stream.Collectors.toSet()), "the servers' processes own the spans");
        ObjectNode big = spans.stream().filter(s -> "/big.bin".equals(s.path("endpoint").asText())
                && "GET".equals(s.path("request_type").asText())).findFirst().orElseThrow();
        assertEquals(100_243, big.path("resp_size").asLong(), "the whole body is counted, beyond the 4 KiB prefix");
        ObjectNode upload = spans.stream().filter(s -> "/api/upload".equals(s.path("endpoint").asText())
                && s.path("local").asText().endsWith(":" + NGINX)).findFirst().orElseThrow();
        assertEquals(200, upload.path("response_code").asInt(), "Expect: 100-continue pairs with the final answer");
    }

    /**
     * sendfile() is not among the captured syscalls: the 100 kB body of /sf/big.bin has no capture record. The next
     * write's TCP sequence number shows the bytes it sent, a gap the HTTP/1 parser skips as body (Content-Length),
     * so the messages still equal the pcap's (checked above); the last body of a connection needs no later write,
     * its length is known from the head.
     */
    @Test
    void sendfileBodiesAreGapsTheParserSkips() throws Exception {
        String log = java.nio.file.Files.readString(run.dir().resolve("http1.live.replay.log"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("stream\\.gap_bytes (\\d+)").matcher(log);
        assertTrue(m.find(), "no gap counted in the live replay:\n" + log);
        assertEquals(100_000, Long.parseLong(m.group(1)), "the sendfile body of /sf/big.bin, and nothing else:\n" + log);
        ObjectNode sf = Records.filter(run.live().spans(), Records.protocol("HTTP1")).stream()
                .filter(s -> "/sf/big.bin".equals(s.path("endpoint").asText())).findFirst().orElseThrow();
        assertEquals(100_243, sf.path("resp_size").asLong());
    }
}
