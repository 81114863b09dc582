package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS through OpenSSL appears in plaintext as ssl_write/ssl_read records with the socket's addresses. */
class TlsCaptureTest {

    @TempDir
    Path dir;

    @Test
    void opensslPlaintextIsCapturedWithTheSocketAddresses() throws Exception {
        List<String> missing = Prerequisites.missing();
        if (!missing.isEmpty()) {
            fail("the live capture test needs root, kernel BTF and libbpf (CI runs as root): "
                    + String.join("; ", missing));
        }
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process gen = new ProcessBuilder(RedisCaptureTest.which("openssl"), "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        String genOut = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gen.waitFor(60, TimeUnit.SECONDS) && gen.exitValue() == 0, "openssl: " + genOut);
        Path script = dir.resolve("tls_pair.py");
        try (InputStream in = TlsCaptureTest.class.getResourceAsStream("/tls_pair.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(RedisCaptureTest.which("python3"), script.toString(), cert.toString(),
                key.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine());
        ConcurrentLinkedQueue<CaptureRecord> records = new ConcurrentLinkedQueue<>();
        String port;
        Long libraries;
        try (LiveCapture capture = LiveCapture.start(
                CaptureSettings.targets(Set.of((int) p.pid()), Set.of(), Set.of(), false), records::add)) {
            libraries = capture.counters().get("tls_libraries");
            try (OutputStream go = p.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            port = out.readLine();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            Thread.sleep(100);
        }
        assertTrue(libraries >= 1, "libssl found in /proc/PID/maps");
        String server = "127.0.0.1:" + port;
        String request = "GET /secret HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret";
        CaptureRecord clientWrite = only(records, "ssl_write", request);
        CaptureRecord serverRead = only(records, "ssl_read", request);
        CaptureRecord serverWrite = only(records, "ssl_write", response);
        CaptureRecord clientRead = only(records, "ssl_read", response);
        assertEquals(server, clientWrite.remote());
        assertEquals(server, serverRead.local());
        assertEquals(clientWrite.local(), serverRead.remote());
        assertEquals(server, serverWrite.local());
        assertEquals(server, clientRead.remote());
        assertEquals(Direction.EGRESS, clientWrite.direction());
        assertEquals(Direction.INGRESS, serverRead.direction());
        assertEquals(request.length(), clientWrite.size());
        assertFalse(clientWrite.hasTcpSeq());
        // the encrypted bytes on the wire are captured too, as plain write/read records, and never in clear
        assertTrue(records.stream().noneMatch(r -> !r.syscall().startsWith("ssl_")
                && RedisCaptureTest.text(r).contains("GET /secret")), "ciphertext records carry no plaintext");
    }

    private static CaptureRecord only(ConcurrentLinkedQueue<CaptureRecord> records, String syscall, String text) {
        List<CaptureRecord> found = records.stream()
                .filter(r -> r.syscall().equals(syscall) && RedisCaptureTest.text(r).equals(text)).toList();
        assertEquals(1, found.size(), syscall + " " + text.lines().findFirst().orElse("") + " in " + records.size()
                + " records: " + records.stream().map(CaptureRecord::syscall).distinct().toList());
        return found.get(0);
    }
}
