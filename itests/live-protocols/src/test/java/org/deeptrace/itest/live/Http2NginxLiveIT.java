package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 from nginx 1.22: protocol-plugins/http2/src/test/recording/record-nginx.sh, captured live through the
 * fixture's cgroup (nginx master and worker, curl). Two servers of one nginx:
 * <ul>
 * <li>h2c with prior knowledge on 17582: record.sh's curl requests, whose pcap is the plugin's h2c-curl golden;
 * <li>HTTP/2 over TLS on 17583 ({@code listen ... ssl http2}, ALPN h2, a throw-away self-signed certificate): the
 * pcap has the TLS handshake only, the live capture also the HTTP/2 inside, from the uprobes on OpenSSL's
 * SSL_read/SSL_write in nginx (and curl) — nginx serving HTTPS, seen in plaintext.
 * </ul>
 * Found: the pipeline used to merge a socket's ciphertext and its uprobe plaintext into one connection, so the
 * plaintext was lost and the TLS records counted malformed; they are two connections now (ConnectionKey.tls).
 */
class Http2NginxLiveIT {
    static final int H2C = 17582;
    static final int TLS = 17583;

    static LiveRun run;

    @BeforeAll
    static void recordTheFixtureTraffic() throws Exception {
        LiveEnv.assumeLiveCapturePossible();
        LiveEnv.require("nginx", "nginx-light");
        LiveEnv.require("curl", "curl");
        LiveEnv.require("openssl", "openssl");
        run = LiveRun.recordCgroup("http2-nginx", Set.of(H2C, TLS), "tcp port " + H2C + " or tcp port " + TLS,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(60),
                        Map.of("PORT", String.valueOf(H2C), "TLS_PORT", String.valueOf(TLS)),
                        launch.apply(List.of("sh", LiveEnv.plugin("http2")
                                .resolve("src/test/recording/record-nginx.sh").toString(), dir.toString()))));
    }

    /** Messages of the TLS server's connections (the plaintext there exists only in the live capture). */
    static boolean onTlsPort(ObjectNode m) {
        return m.path("src").asText().endsWith(":" + TLS) || m.path("dst").asText().endsWith(":" + TLS)
                || m.path("local").asText().endsWith(":" + TLS);
    }

    @Test
    void h2cLiveEqualsPcapAndGolden() throws Exception {
        // HTTP/2 on the TLS port is checked below: no pcap can show it
        run.assertLiveEqualsPcap(Http2NginxLiveIT::onTlsPort, Http2NginxLiveIT::onTlsPort, "HTTP2");
        // The golden was recorded on port 18082 (:authority differs) in another second: nginx's Date header,
        // Huffman-coded, can differ in length by a byte, and whether curl's POST body is on the wire before nginx
        // answers /broken (without reading it) varies, so sizes are compared with the pcap above only.
        run.assertLiveMatchesGolden(Records.golden("http2", "h2c-curl.messages.jsonl"),
                m -> onTlsPort(m), Set.of("ts_ns", "src", "dst", "request_domain", "size"), "HTTP2");
    }

    @Test
    void tlsHandshakesLiveEqualPcap() {
        run.assertLiveEqualsPcap("TLS");
        List<ObjectNode> hellos = Records.filter(run.live().messages(), Records.protocol("TLS"));
        assertEquals(2, hellos.stream().filter(m -> "ClientHello".equals(m.path("request_type").asText())
                && m.path("request_resource").asText().startsWith("h2")).count(), "curl offers ALPN h2: " + hellos);
    }

    /** The HTTP/2 inside the TLS sessions, from nginx's SSL_read/SSL_write. */
    @Test
    void nginxPlaintextFromTheUprobes() throws Exception {
        Replayed plaintext = run.replayCaptured("http2-nginx.tls-plaintext",
                r -> "nginx".equals(r.path("comm").asText()) && r.path("syscall").asText().startsWith("ssl_"));
        List<ObjectNode> h2 = Records.filter(plaintext.messages(), Records.protocol("HTTP2"));
        Predicate<ObjectNode> request = m -> "request".equals(m.path("type").asText());
        assertEquals(List.of("GET /hello?x=1 tls-1", "GET /created tls-1", "POST /broken null"), h2.stream()
                .filter(request).map(m -> m.path("request_type").asText() + " " + m.path("request_resource").asText()
                        + " " + m.path("x_request_id").asText(null)).toList(), h2.toString());
        assertEquals(List.of(200, 201, 503), h2.stream().filter(request.negate())
                .map(m -> m.path("response_code").asInt()).toList());
        List<ObjectNode> spans = Records.filter(plaintext.spans(), Records.protocol("HTTP2"));
        assertEquals(3, spans.size(), "the plaintext exchanges are spans: " + spans);
        assertTrue(spans.stream().allMatch(s -> "server".equals(s.path("kind").asText())
                && s.path("local").asText().endsWith(":" + TLS)), spans.toString());
        assertTrue(Records.filter(run.pcap().messages(), Records.protocol("HTTP2")).stream()
                .noneMatch(Http2NginxLiveIT::onTlsPort), "the pcap has only ciphertext on the TLS port");

        // The whole server side, ciphertext and plaintext of the same sockets together (as the agent sees it):
        // the plaintext is a connection of its own, parsed the same, and the TLS records stay whole.
        Records.assertSame("HTTP/2 inside TLS, alone and among the ciphertext",
                Records.project(h2, Set.of()), Records.project(Records.filter(run.live().messages(),
                        Records.protocol("HTTP2").and(Http2NginxLiveIT::onTlsPort)), Set.of()));
        assertEquals(3, Records.filter(run.live().spans(), Records.protocol("HTTP2").and(Http2NginxLiveIT::onTlsPort))
                .size());
        String log = java.nio.file.Files.readString(run.dir().resolve("http2-nginx.live.replay.log"));
        assertTrue(!log.contains("parse.malformed") && !log.contains("reinferred"), log);
    }
}
