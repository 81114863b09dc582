package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureTargetsTest {

    @Test
    void readsTheConfigurationAsFileinstallAndMetatypeWriteIt() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("pids", "12, 34");
        p.put("comms", new String[] {"nginx", "redis-server"});
        p.put("all", "false");
        p.put("payload_size", "4096");
        CaptureTargets t = CaptureTargets.from(p);
        assertEquals(List.of("12", "34"), List.copyOf(t.pids));
        assertEquals(List.of("nginx", "redis-server"), List.copyOf(t.comms));
        assertTrue(t.cgroups.isEmpty());

        t.pids.remove("12");
        t.all = true;
        t.into(p);
        assertEquals("34", p.get("pids"));
        assertEquals("nginx,redis-server", p.get("comms"));
        assertEquals("true", p.get("all"));
        assertEquals("4096", p.get("payload_size"), "other keys stay");
    }

    @Test
    void noConfigurationMeansAnIdleCapture() {
        assertTrue(CaptureTargets.from(null).isEmpty());
    }

    @Test
    void processIdsAreCheckedBeforeTheyReachTheConfiguration() {
        assertEquals("not a process id: abc",
                assertThrows(IllegalArgumentException.class, () -> CaptureTargets.requirePids(List.of("1", "abc"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CaptureTargets.requirePids(List.of("-3")));
    }
}
