package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BPF object the verifier rejects: its log (several KiB, printed by libbpf in one message) once overran the
 * bridge's log buffer and crashed the JVM. Now the error names the end of the log, and the bridge keeps working.
 */
class NativeBridgeErrorTest {

    @Test
    void aRejectedProgramIsReportedWithTheEndOfTheVerifierLog(@TempDir Path dir) throws Exception {
        assertNull(NativeBridge.load(), "the module's JNI library must load (built by native/Makefile)");
        Path source = dir.resolve("rejected.bpf.c");
        try (InputStream in = NativeBridgeErrorTest.class.getResourceAsStream("/rejected.bpf.c")) {
            Files.copy(in, source);
        }
        Path object = dir.resolve("rejected.bpf.o");
        Process cc = new ProcessBuilder(RedisCaptureTest.which("clang"), "-O2", "-g", "-target", "bpf",
                "-I/usr/include/x86_64-linux-gnu", "-c", source.toString(), "-o", object.toString())
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "clang: " + ccOut);
        byte[] bytes = Files.readAllBytes(object);

        for (int i = 0; i < 3; i++) { // repeatedly: a corrupted heap would not survive this
            NativeException e = assertThrows(NativeException.class, () -> NativeBridge.open(bytes, 4096));
            String m = e.getMessage();
            assertTrue(m.contains("loading the BPF programs failed"), m);
            assertTrue(m.contains("END PROG LOAD LOG") || m.contains("failed to load"), "the log's end: " + m);
        }
        // and the bridge still works: the layout call goes through the same library
        assertTrue(NativeBridge.layout().length > 0);
        System.gc();
    }
}
