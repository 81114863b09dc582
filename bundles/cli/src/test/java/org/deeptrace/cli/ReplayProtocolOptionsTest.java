package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --protocol-port and --disable-protocol: parsed, checked, and merged into the pipeline's configuration. */
class ReplayProtocolOptionsTest {

    @Test
    void bothOptionsAreRepeatableWithOrWithoutEquals() throws CliException {
        ReplayOptions o = ReplayOptions.parse(List.of("in.pcap", "--protocol-port", "9090=HTTP2",
                "--protocol-port=15353/udp=dns", "--disable-protocol", "thrift", "--disable-protocol=Dubbo"));
        assertEquals(List.of("9090=HTTP2", "15353/udp=dns"), o.protocolPorts());
        assertEquals(List.of("thrift", "Dubbo"), o.disabledProtocols());
    }

    @Test
    void badValuesAreUsageErrors() {
        assertEquals("--protocol-port 9090: not PORT=PROTOCOL or PORT/udp=PROTOCOL (port 1..65535)",
                assertThrows(CliException.class, () -> ReplayOptions.parse(List.of("in.pcap", "--protocol-port",
                        "9090"))).getMessage());
        assertThrows(CliException.class, () -> ReplayOptions.parse(List.of("in.pcap", "--protocol-port", "0=dns")));
        assertThrows(CliException.class,
                () -> ReplayOptions.parse(List.of("in.pcap", "--protocol-port", "99999=dns")));
        assertThrows(CliException.class,
                () -> ReplayOptions.parse(List.of("in.pcap", "--protocol-port", "53/sctp=dns")));
        assertThrows(CliException.class,
                () -> ReplayOptions.parse(List.of("in.pcap", "--disable-protocol", "a b")));
        assertThrows(CliException.class, () -> ReplayOptions.parse(List.of("in.pcap", "--disable-protocol")));
    }

    @Test
    void optionsReplaceTheFilesPinsOfTheSamePortAndAddToItsDisabledList() {
        Hashtable<String, Object> file = new Hashtable<>();
        file.put("correlator", "fifo");
        file.put("protocols.ports", "9090=grpc, 6380=REDIS, 53/udp=DNS");
        file.put("protocols.disabled", "thrift");
        List<ConfigFiles.Config> configs = ReplayRun.withProtocols(
                List.of(new ConfigFiles.Config(ReplayRun.PIPELINE_PID, null, file)),
                List.of("9090/tcp=HTTP2", "53=DNS"), List.of("dubbo"));
        Hashtable<String, Object> merged = configs.get(0).properties();
        assertEquals("6380=REDIS, 53/udp=DNS, 9090/tcp=HTTP2, 53=DNS", merged.get("protocols.ports"));
        assertEquals("thrift, dubbo", merged.get("protocols.disabled"));
        assertEquals("fifo", merged.get("correlator"));
        assertEquals("9090=grpc, 6380=REDIS, 53/udp=DNS", file.get("protocols.ports"), "the file's values stay");
    }

    @Test
    void withoutAPipelineFileTheOptionsMakeOne() {
        List<ConfigFiles.Config> configs = ReplayRun.withProtocols(List.of(), List.of("6380=REDIS"), List.of());
        assertEquals(1, configs.size());
        assertEquals("6380=REDIS", configs.get(0).properties().get("protocols.ports"));
        assertEquals(List.of(), ReplayRun.withProtocols(List.of(), List.of(), List.of()));
    }
}
