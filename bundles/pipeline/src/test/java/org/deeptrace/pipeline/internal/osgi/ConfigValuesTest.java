package org.deeptrace.pipeline.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    static final String FILE = "file:/opt/deeptrace/etc/org.deeptrace.pipeline.cfg";

    @Test
    void readsValuesAndFallsBackToDefaults() {
        ConfigValues c = new ConfigValues(Map.of("window.ms", " 250 ", "min.confidence", "0.7", "grace.ms", 0L), "pid");
        assertEquals(250, c.positiveLong("window.ms", 5000));
        assertEquals(0, c.nonNegativeLong("grace.ms", 5000));
        assertEquals(0.7, c.fraction("min.confidence", 0.5));
        assertEquals(200, c.nonNegativeLong("reorder.ms", 200));
        assertEquals("fifo", c.string("correlator", "fifo"));
    }

    @Test
    void aBadValueNamesTheFileTheKeyAndTheReason() {
        ConfigValues c = new ConfigValues(Map.of("felix.fileinstall.filename", FILE, "window.ms", "5s", "grace.ms", "-1",
                "min.confidence", "2"), "org.deeptrace.pipeline");
        assertEquals("/opt/deeptrace/etc/org.deeptrace.pipeline.cfg: window.ms = '5s' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> c.positiveLong("window.ms", 1)).getMessage());
        assertEquals("/opt/deeptrace/etc/org.deeptrace.pipeline.cfg: grace.ms = '-1' must not be negative",
                assertThrows(IllegalArgumentException.class, () -> c.nonNegativeLong("grace.ms", 1)).getMessage());
        assertEquals("/opt/deeptrace/etc/org.deeptrace.pipeline.cfg: min.confidence = '2' must be between 0 and 1",
                assertThrows(IllegalArgumentException.class, () -> c.fraction("min.confidence", 0.5)).getMessage());
    }

    @Test
    void withoutAFileTheConfigurationIsNamedByItsPid() {
        ConfigValues c = new ConfigValues(Map.of("window.ms", "0"), "org.deeptrace.pipeline");
        assertEquals("configuration org.deeptrace.pipeline: window.ms = '0' must be greater than 0",
                assertThrows(IllegalArgumentException.class, () -> c.positiveLong("window.ms", 1)).getMessage());
    }
}
