package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.model.CaptureRecord;

/**
 * A small C program from the test resources, compiled with gcc and run under live capture of its own process: it
 * waits for "go" on stdin (so the probes are attached first), does its socket calls, prints a line and exits.
 */
final class CapturedHelper {

    /** What the program printed and every record captured from it. */
    record Run(String output, List<CaptureRecord> records) {
    }

    private CapturedHelper() {
    }

    static Run run(Path dir, String resource) throws Exception {
        List<String> missing = Prerequisites.missing();
        if (!missing.isEmpty()) {
            fail("the live capture test needs root, kernel BTF and libbpf (CI runs as root): "
                    + String.join("; ", missing));
        }
        Path source = dir.resolve(resource);
        try (InputStream in = CapturedHelper.class.getResourceAsStream("/" + resource)) {
            Files.copy(in, source);
        }
        Path program = dir.resolve(resource.replace(".c", ""));
        Process cc = new ProcessBuilder(RedisCaptureTest.which("gcc"), "-O2", "-o", program.toString(),
                source.toString()).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc: " + ccOut);

        Process p = new ProcessBuilder(program.toString()).start();
        ConcurrentLinkedQueue<CaptureRecord> records = new ConcurrentLinkedQueue<>();
        String output;
        try (LiveCapture capture = LiveCapture.start(
                CaptureSettings.targets(Set.of((int) p.pid()), Set.of(), Set.of(), false), records::add)) {
            try (OutputStream go = p.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), resource + " did not finish");
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertEquals(0, p.exitValue(), resource + " failed: " + output);
            Thread.sleep(100); // the last records leave the ring buffer
        }
        return new Run(output, List.copyOf(records));
    }
}
