package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sendmmsg/recvmmsg on connected UDP sockets: one record per message, addresses of both ends (root, as CI). */
class MmsgCaptureTest {

    @TempDir
    Path dir;

    @Test
    void eachMessageOfAMultiMessageCallIsOneRecord() throws Exception {
        List<String> missing = Prerequisites.missing();
        if (!missing.isEmpty()) {
            fail("the live capture test needs root, kernel BTF and libbpf (CI runs as root): "
                    + String.join("; ", missing));
        }
        Path source = dir.resolve("mmsg_pair.c");
        try (InputStream in = MmsgCaptureTest.class.getResourceAsStream("/mmsg_pair.c")) {
            Files.copy(in, source);
        }
        Path helper = dir.resolve("mmsg_pair");
        Process cc = new ProcessBuilder(RedisCaptureTest.which("gcc"), "-O2", "-o", helper.toString(),
                source.toString()).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc: " + ccOut);

        Process p = new ProcessBuilder(helper.toString()).start();
        ConcurrentLinkedQueue<CaptureRecord> records = new ConcurrentLinkedQueue<>();
        String ports;
        try (LiveCapture capture = LiveCapture.start(
                CaptureSettings.targets(Set.of((int) p.pid()), Set.of(), Set.of(), false), records::add)) {
            try (OutputStream go = p.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            ports = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertEquals(0, p.exitValue(), ports);
            Thread.sleep(100);
        }
        String a = "127.0.0.1:" + ports.split(" ")[0];
        String b = "127.0.0.1:" + ports.split(" ")[1];
        List<CaptureRecord> sent = records.stream().filter(r -> r.syscall().equals("sendmmsg"))
                .sorted(Comparator.comparingLong(CaptureRecord::tsNs)).toList();
        List<CaptureRecord> received = records.stream().filter(r -> r.syscall().equals("recvmmsg")).toList();
        assertEquals(List.of("one", "two", "three"), sent.stream().map(RedisCaptureTest::text).toList());
        assertEquals(List.of("one", "two", "three"), received.stream().map(RedisCaptureTest::text).toList());
        for (CaptureRecord r : sent) {
            assertEquals(Direction.EGRESS, r.direction());
            assertEquals(Transport.UDP, r.l4());
            assertEquals(a, r.local());
            assertEquals(b, r.remote());
            assertEquals(r.capturedSize(), r.size());
            assertFalse(r.hasTcpSeq());
        }
        for (CaptureRecord r : received) {
            assertEquals(Direction.INGRESS, r.direction());
            assertEquals(b, r.local());
            assertEquals(a, r.remote());
        }
    }
}
