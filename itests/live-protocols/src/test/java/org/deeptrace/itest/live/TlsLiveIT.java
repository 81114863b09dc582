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
 * TLS: protocol-plugins/tls/src/test/recording/record.sh (openssl s_server with a throw-away certificate, curl
 * with SNI tls.test: a TLS 1.3 and a TLS 1.2 request, a rejected certificate and a refused protocol version) on
 * ports 17443/17444, captured live (s_server and curl by name): the handshake records from the socket syscalls,
 * and the plaintext HTTP inside the sessions from the uprobes on OpenSSL's SSL_read/SSL_write, which no pcap can
 * show.
 */
class TlsLiveIT {
    static final int PORT13 = 17443;
    static final int PORT12 = 17444;

    static LiveRun run;

    @BeforeAll
    static void recordTheFixtureTraffic() throws Exception {
        LiveEnv.assumeLiveCapturePossible();
        LiveEnv.require("openssl", "openssl");
        LiveEnv.require("curl", "curl");
        run = LiveRun.record("tls", List.of("openssl", "curl"), Set.of(PORT13, PORT12),
                "tcp port " + PORT13 + " or tcp port " + PORT12,
                (dir, launch) -> Processes.run(dir, dir.resolve("record.log"), Duration.ofSeconds(60),
                        Map.of("PORT13", String.valueOf(PORT13), "PORT12", String.valueOf(PORT12)),
                        launch.apply(List.of("sh", LiveEnv.plugin("tls")
                                .resolve("src/test/recording/record.sh").toString(), dir.toString()))));
    }

    @Test
    void handshakeRecordsLiveEqualPcapAndGolden() throws Exception {
        run.assertLiveEqualsPcap("TLS");
        // a fresh certificate per run: certificate and signature sizes vary, compared with the pcap above
        run.assertLiveMatchesGolden(Records.golden("tls", "tls13.messages.jsonl", "tls12.messages.jsonl",
                "tls-alerts.messages.jsonl"), Set.of("ts_ns", "src", "dst", "size"), "TLS");
    }

    /**
     * The plaintext inside the sessions, from the uprobes on SSL_read/SSL_write, on curl's side: s_server -www
     * reads and writes through an SSL BIO, which OpenSSL 3 implements with its internal ssl_read/ssl_write
     * functions, not the exported SSL_read/SSL_write the probes are on, so the server side has no plaintext.
     */
    @Test
    void plaintextInsideTheSessionsFromTheUprobes() throws Exception {
        Replayed plaintext = run.replayCaptured("tls.curl", r -> "curl".equals(r.path("comm").asText())
                && r.path("syscall").asText().startsWith("ssl_"));
        // Inside the two successful sessions: curl's GET / and s_server's -www page, in plaintext
        List<ObjectNode> http = Records.filter(plaintext.messages(), Records.protocol("HTTP1"));
        List<ObjectNode> requests = http.stream().filter(m -> "request".equals(m.path("type").asText())).toList();
        assertEquals(2, requests.size(), "one plaintext request per successful session: " + http);
        assertTrue(requests.stream().allMatch(m -> "GET".equals(m.path("request_type").asText())
                && "/".equals(m.path("endpoint").asText())), requests.toString());
        assertEquals(List.of(200, 200), http.stream().filter(m -> "response".equals(m.path("type").asText()))
                .map(m -> m.path("response_code").asInt()).toList());
        List<ObjectNode> spans = Records.filter(plaintext.spans(), Records.protocol("HTTP1"));
        assertEquals(2, spans.size(), "the plaintext exchanges are spans");
        assertTrue(spans.stream().allMatch(sp -> "client".equals(sp.path("kind").asText())), spans.toString());
        assertTrue(Records.filter(run.pcap().messages(), Records.protocol("HTTP1")).isEmpty(),
                "the pcap has only ciphertext");
    }
}
