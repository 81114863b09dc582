package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureOptionsTest {

    @Test
    void targetsDurationAndOutput() throws CliException {
        CaptureOptions o = CaptureOptions.parse(List.of("--pid", "12,34", "--comm", "nginx", "--cgroup=a/b",
                "--duration", "2.5", "--out", "x.capture.jsonl"));
        assertEquals(List.of(12, 34), o.pids());
        assertEquals(List.of("nginx"), o.comms());
        assertEquals(List.of("a/b"), o.cgroups());
        assertFalse(o.all());
        assertEquals(2.5, o.durationSeconds());
        assertEquals(Path.of("x.capture.jsonl"), o.out());
    }

    @Test
    void allNeedsNoValueAndDurationIsOptional() throws CliException {
        CaptureOptions o = CaptureOptions.parse(List.of("--all", "--out=f.jsonl"));
        assertTrue(o.all());
        assertEquals(0, o.durationSeconds());
        assertEquals(Path.of("f.jsonl"), o.out());
    }

    @Test
    void usageErrorsSayWhat() {
        assertTrue(assertThrows(CliException.class, () -> CaptureOptions.parse(List.of("--out", "f")))
                .getMessage().contains("no target"));
        assertTrue(assertThrows(CliException.class, () -> CaptureOptions.parse(List.of("--all")))
                .getMessage().contains("--out"));
        assertTrue(assertThrows(CliException.class, () -> CaptureOptions.parse(List.of("--pid", "x1", "--out", "f")))
                .getMessage().contains("x1"));
        assertTrue(assertThrows(CliException.class, () -> CaptureOptions.parse(List.of("--all", "--duration", "0",
                "--out", "f"))).getMessage().contains("--duration"));
        assertTrue(assertThrows(CliException.class, () -> CaptureOptions.parse(List.of("--pid")))
                .getMessage().contains("needs a value"));
        CliException e = assertThrows(CliException.class, () -> CaptureOptions.parse(List.of("--bogus")));
        assertEquals(CliException.USAGE, e.exitStatus());
    }

    @Test
    void commandLineTargetsReplaceTheConfiguredOnesAndKeepTheOtherKeys() throws CliException {
        Hashtable<String, Object> file = new Hashtable<>();
        file.put("pids", "1");
        file.put("payload_size", "1024");
        List<ConfigFiles.Config> configs = CaptureRun.withTargets(
                List.of(new ConfigFiles.Config(CaptureRun.CAPTURE_PID, null, file)),
                CaptureOptions.parse(List.of("--comm", "redis-server", "--out", "f")));
        assertEquals(1, configs.size());
        Hashtable<String, Object> p = configs.get(0).properties();
        assertEquals("", p.get("pids"));
        assertEquals("redis-server", p.get("comms"));
        assertEquals("false", p.get("all"));
        assertEquals("1024", p.get("payload_size"));
    }
}
