package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EbpfCaptureSourceTest {

    /** A CaptureConfig as DS would build it: the given values, the annotation's defaults for the rest. */
    static CaptureConfig config(Map<String, Object> values) {
        return (CaptureConfig) Proxy.newProxyInstance(CaptureConfig.class.getClassLoader(),
                new Class<?>[] {CaptureConfig.class}, (proxy, method, args) -> {
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    void readsTargetsFromCommaSeparatedOrListValues() {
        CaptureSettings s = EbpfCaptureSource.fromConfig(config(Map.of(
                "pids", new String[] {"12, 34", "56"},
                "comms", new String[] {"nginx,redis-server"},
                "payload__size", 1024,
                "probes", new String[] {"sys_enter_read,sys_exit_read"})), false);
        assertEquals(Set.of(12, 34, 56), s.pids());
        assertEquals(Set.of("nginx", "redis-server"), s.comms());
        assertEquals(1024, s.payloadSize());
        assertEquals(List.of("sys_enter_read", "sys_exit_read"), s.probes());
        assertTrue(s.hasTargets());
    }

    @Test
    void defaultsAttachEveryProgramAndTargetNothing() {
        CaptureSettings s = EbpfCaptureSource.fromConfig(config(Map.of()), false);
        assertFalse(s.hasTargets());
        assertEquals(List.of(EventLayout.PROGRAMS), s.probes());
        assertEquals(4096, s.payloadSize());
        assertEquals(32 * 1024 * 1024, s.ringBufferBytes());
    }

    @Test
    void bin_deeptrace_runTracesEverythingOnlyWhenNoTargetIsConfigured() {
        assertTrue(EbpfCaptureSource.fromConfig(config(Map.of()), true).all());
        CaptureSettings pinned = EbpfCaptureSource.fromConfig(config(Map.of("pids", new String[] {"7"})), true);
        assertFalse(pinned.all());
        assertEquals(Set.of(7), pinned.pids());
    }

    @Test
    void rejectsBadValuesWithTheirKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EbpfCaptureSource.fromConfig(
                config(Map.of("pids", new String[] {"12x"})), false)).getMessage().contains("pids"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EbpfCaptureSource.fromConfig(
                config(Map.of("payload__size", 100000)), false)).getMessage().contains("payload_size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EbpfCaptureSource.fromConfig(
                config(Map.of("ring__buffer__size", 5000)), false)).getMessage().contains("ring_buffer_size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EbpfCaptureSource.fromConfig(
                config(Map.of("probes", new String[] {"kprobe_tcp_sendmsg"})), false)).getMessage().contains("unknown probe"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EbpfCaptureSource.fromConfig(
                config(Map.of("comms", new String[] {"a-name-longer-than-15"})), false)).getMessage().contains("comm"));
    }

    @Test
    void idleWithoutTargetsAndReportsABadConfiguration() throws Exception {
        EbpfCaptureSource source = new EbpfCaptureSource();
        source.activate(config(Map.of()));
        source.start(r -> true);
        assertEquals(0L, source.counters().get("running"));
        assertEquals(0L, source.counters().get("unavailable"));
        source.stop();

        EbpfCaptureSource bad = new EbpfCaptureSource();
        bad.activate(config(Map.of("pids", new String[] {"-3"})));
        assertEquals(1L, bad.counters().get("config_error"));
        assertTrue(bad.problems().get(0).contains("pids"));
    }
}
