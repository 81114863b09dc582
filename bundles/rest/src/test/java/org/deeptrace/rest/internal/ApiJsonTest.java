package org.deeptrace.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;
import org.junit.jupiter.api.Test;

class ApiJsonTest {

    @Test
    void statusWritesAbsentValuesAsNullAndEmpty() {
        assertEquals("{\"host\":null,\"correlator\":\"fifo\",\"correlator_available\":false,\"sources\":[],"
                + "\"counters\":{}}", ApiJson.status(new PipelineStatus(null, "fifo", false, null, null)));
    }

    @Test
    void statusSortsCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("z.last", 1L);
        counters.put("a.first", 2L);
        assertEquals("{\"host\":\"h\",\"correlator\":\"fifo\",\"correlator_available\":true,\"sources\":[\"ebpf\"],"
                + "\"counters\":{\"a.first\":2,\"z.last\":1}}",
                ApiJson.status(new PipelineStatus("h", "fifo", true, List.of("ebpf"), counters)));
    }

    @Test
    void pluginsAndErrorsEscapeStrings() {
        assertEquals("[{\"name\":\"my \\\"proto\\\"\",\"bundle\":\"b\",\"version\":\"1.0.0\",\"active\":true}]",
                ApiJson.plugins(List.of(new PluginInfo("my \"proto\"", "b", "1.0.0", true))));
        assertEquals("{\"error\":\"bad\\nthing\",\"status\":400}", ApiJson.error(400, "bad\nthing"));
    }

    @Test
    void spansOfNothingIsAnEmptyArray() {
        assertEquals("[]", ApiJson.spans(List.of()));
        assertEquals("[]", ApiJson.spans(null));
    }
}
