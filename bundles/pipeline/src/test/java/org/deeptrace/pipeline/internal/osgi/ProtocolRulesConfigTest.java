package org.deeptrace.pipeline.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.Transport;
import org.deeptrace.pipeline.internal.core.ProtocolRules;
import org.junit.jupiter.api.Test;

class ProtocolRulesConfigTest {
    static final String FILE = "file:/opt/deeptrace/etc/org.deeptrace.pipeline.cfg";

    static ProtocolRules read(Map<String, Object> properties) {
        return ProtocolRulesConfig.read(new ConfigValues(properties, "org.deeptrace.pipeline"));
    }

    static String error(String key, Object value) {
        return assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("felix.fileinstall.filename", FILE, key, value))).getMessage();
    }

    @Test
    void readsDisabledNamesAndPinsAsWrittenInTheCfgFile() {
        ProtocolRules r = read(Map.of("protocols.disabled", " thrift, Dubbo ,",
                "protocols.ports", "9090=HTTP2, 6380/tcp = redis,15353/UDP=dns"));
        assertTrue(r.isDisabled("THRIFT"));
        assertTrue(r.isDisabled("dubbo"));
        assertEquals(false, r.isDisabled("HTTP1"));
        assertEquals("HTTP2", r.pinAt(Transport.TCP, 9090).protocol());
        assertEquals("redis", r.pinAt(Transport.TCP, 6380).protocol());
        assertEquals("dns", r.pinAt(Transport.UDP, 15353).protocol());
        assertNull(r.pinAt(Transport.UDP, 9090));
        assertNull(r.pinAt(Transport.TCP, 15353));
    }

    @Test
    void arraysFromConfigAdminWorkToo() {
        ProtocolRules r = read(Map.of("protocols.disabled", new String[] {"thrift", "dubbo"},
                "protocols.ports", List.of("9090=HTTP2", "6380=REDIS")));
        assertEquals(2, r.disabled().size());
        assertEquals(2, r.pins().size());
    }

    @Test
    void absentOrEmptyKeysMeanNoRules() {
        ProtocolRules r = read(Map.of("protocols.disabled", "", "protocols.ports", "  "));
        assertTrue(r.disabled().isEmpty());
        assertEquals(false, r.hasPins());
        assertTrue(read(Map.of()).disabled().isEmpty());
    }

    @Test
    void aBadEntryNamesTheFileTheKeyTheEntryAndTheReason() {
        String file = "/opt/deeptrace/etc/org.deeptrace.pipeline.cfg";
        assertEquals(file + ": protocols.ports entry 'grpc' is not PORT=PROTOCOL or PORT/udp=PROTOCOL",
                error("protocols.ports", "9090=HTTP2, grpc"));
        assertEquals(file + ": protocols.ports entry '70000=HTTP2' has a port outside 1..65535",
                error("protocols.ports", "70000=HTTP2"));
        assertEquals(file + ": protocols.ports entry '53/sctp=DNS' names transport 'sctp' (tcp or udp)",
                error("protocols.ports", "53/sctp=DNS"));
        assertEquals(file + ": protocols.ports entry '9090=redis' pins port 9090/tcp again (also '9090=HTTP2')",
                error("protocols.ports", "9090=HTTP2, 9090=redis"));
        assertEquals(file + ": protocols.disabled entry 'thrift dubbo' is not a protocol name",
                error("protocols.disabled", "thrift dubbo"));
    }

    @Test
    void aBadProtocolsLineKeepsThePreviousConfigurationInForce() {
        LivePipeline.Settings before = LivePipeline.read(Map.of("protocols.disabled", "thrift"), defaults());
        LivePipeline.Settings after = LivePipeline.read(Map.of("protocols.ports", "9090"), before);
        assertSame(before, after);
        assertTrue(after.protocols().isDisabled("THRIFT"));
    }

    private static LivePipeline.Settings defaults() {
        return LivePipeline.read(Map.of(), new LivePipeline.Settings("fifo",
                org.deeptrace.pipeline.internal.core.PipelineSettings.defaults("h"), 1, 1, ProtocolRules.NONE));
    }
}
