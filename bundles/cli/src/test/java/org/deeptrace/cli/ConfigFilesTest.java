package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @TempDir
    Path etc;

    private final UnaryOperator<String> resolver =
            ConfigFiles.placeholders(Map.of("karaf.data", "/opt/deeptrace/data"), Map.of("SPOOL", "/var/spool"));

    @Test
    void readsOurPidsOnlyWithFileinstallNaming() throws Exception {
        Files.writeString(etc.resolve("org.deeptrace.pipeline.cfg"), "correlator = fifo\nhost =\nwindow.ms = 5000\n");
        Files.writeString(etc.resolve("org.deeptrace.sender.kafka-orders.cfg"), "topic = spans\n");
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = 8181\n");
        Files.writeString(etc.resolve("org.deeptrace.notes.txt"), "x = y\n");

        List<ConfigFiles.Config> configs = ConfigFiles.readAll(etc, resolver);

        assertEquals(2, configs.size());
        ConfigFiles.Config pipeline = configs.get(0);
        assertEquals("org.deeptrace.pipeline", pipeline.pid());
        assertFalse(pipeline.isFactory());
        assertEquals("fifo", pipeline.properties().get("correlator"));
        assertEquals("", pipeline.properties().get("host"), "an empty value stays an empty string");
        assertEquals("5000", pipeline.properties().get("window.ms"), "values are strings, as with fileinstall");
        ConfigFiles.Config kafka = configs.get(1);
        assertEquals("org.deeptrace.sender.kafka", kafka.pid());
        assertEquals("orders", kafka.name());
        assertTrue(kafka.isFactory());
    }

    @Test
    void replacesKarafSystemAndEnvironmentPlaceholders() {
        System.setProperty("deeptrace.test.dir", "/tmp/t");
        try {
            assertEquals("/opt/deeptrace/data/spans/spans.jsonl", resolver.apply("${karaf.data}/spans/spans.jsonl"));
            assertEquals("/tmp/t/x", resolver.apply("${deeptrace.test.dir}/x"));
            assertEquals("/var/spool/a", resolver.apply("${env:SPOOL}/a"));
            assertEquals("/a", resolver.apply("${no.such.name}/a"), "unknown names become empty, as with fileinstall");
            assertEquals("${karaf.data}", resolver.apply("\\${karaf.data}"), "escaped dollar is kept");
            assertEquals("cost $5", resolver.apply("cost $5"));
            assertEquals("open ${end", resolver.apply("open ${end"));
        } finally {
            System.clearProperty("deeptrace.test.dir");
        }
    }

    @Test
    void resolvedWhileReading() throws IOException, CliException {
        Path file = etc.resolve("org.deeptrace.sender.file.cfg");
        Files.writeString(file, "path = ${karaf.data}/spans/spans.jsonl\nrotate = true\n");

        ConfigFiles.Config config = ConfigFiles.read(file, resolver);

        assertEquals("org.deeptrace.sender.file", config.pid());
        assertEquals("/opt/deeptrace/data/spans/spans.jsonl", config.properties().get("path"));
    }

    @Test
    void noEtcDirectoryMeansNoConfiguration() throws CliException {
        assertEquals(List.of(), ConfigFiles.readAll(etc.resolve("missing"), resolver));
    }

    @Test
    void algoReplacesTheCorrelatorAndKeepsTheRest() throws Exception {
        Files.writeString(etc.resolve("org.deeptrace.pipeline.cfg"), "correlator = fifo\nwindow.ms = 5000\n");
        List<ConfigFiles.Config> configs = ConfigFiles.readAll(etc, resolver);

        List<ConfigFiles.Config> overridden = ReplayRun.withAlgorithm(configs, "nearest");

        assertEquals("nearest", overridden.get(0).properties().get("correlator"));
        assertEquals("5000", overridden.get(0).properties().get("window.ms"));
        assertEquals("fifo", configs.get(0).properties().get("correlator"), "the file's values are not modified");
        assertEquals(configs, ReplayRun.withAlgorithm(configs, null));
    }

    @Test
    void algoWithoutAPipelineFileCreatesTheConfiguration() {
        List<ConfigFiles.Config> configs = ReplayRun.withAlgorithm(List.of(), "fifo");

        assertEquals(1, configs.size());
        assertEquals(ReplayRun.PIPELINE_PID, configs.get(0).pid());
        assertNull(configs.get(0).name());
        assertEquals(Map.of("correlator", "fifo"), configs.get(0).properties());
    }
}
