package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.deeptrace.cli.fake.FakeReplayActivator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the launcher end to end: a real embedded Felix, the real ConfigAdmin bundle, and a test bundle whose
 * ReplayService echoes what it was given (see {@link FakeReplayActivator}).
 */
class LauncherTest {

    @TempDir
    Path home;
    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void distribution() throws IOException {
        Path replay = Files.createDirectories(home.resolve("lib/replay"));
        Files.createDirectories(home.resolve("etc"));
        Files.createDirectories(home.resolve("deploy"));
        Files.copy(Path.of(System.getProperty("configadmin.jar")), replay.resolve("org.apache.felix.configadmin.jar"));
        Files.writeString(replay.resolve("bundles.list"), "# test\norg.apache.felix.configadmin.jar\n");
        Files.writeString(home.resolve("etc/org.deeptrace.pipeline.cfg"),
                "# comment\ncorrelator = fifo\ndir = ${karaf.data}/spans\n");
        System.setProperty(Distribution.HOME_PROPERTY, home.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty(Distribution.HOME_PROPERTY);
        System.clearProperty(ReplayRun.WAIT_PROPERTY);
    }

    @Test
    void replaysWithTheDistributionsConfigurationAndPrintsTheSummary() throws IOException {
        deployFakeReplayService();
        Path input = input("a", "b", "c", "d");

        int status = run("replay", input.toString());

        assertEquals(0, status, err());
        String summary = out();
        assertTrue(summary.contains("records     4 read, 0 skipped"), summary);
        assertTrue(summary.contains("messages    HTTP1 8"), summary);
        assertTrue(summary.contains("spans       HTTP1 4"), summary);
        assertTrue(summary.contains("correlator  fifo@" + home.resolve("data/spans")
                + ": 4 client spans decided, 2 parented (50.0%)"), summary);
        assertTrue(summary.contains("problems    drops.queue_full 3"), summary);
        assertFalse(summary.contains("errors.parse"), "zero counters are not printed: " + summary);
        assertFalse(summary.contains("records.in"), "only drop and error counters are printed: " + summary);
    }

    @Test
    void algoOverridesTheConfiguredCorrelator() throws IOException {
        deployFakeReplayService();
        Path spans = work.resolve("out.spans.jsonl");

        int status = run("replay", input("x").toString(), "--algo", "nearest", "--spans", spans.toString());

        assertEquals(0, status, err());
        assertTrue(out().contains("correlator  nearest@"), out());
        assertTrue(Files.exists(spans), "the spans file reaches the service");
    }

    @Test
    void malformedInputIsOneLineWithAHintAndStatusOne() throws IOException {
        deployFakeReplayService();
        Path input = input("ok", "BAD");

        int status = run("replay", input.toString());

        assertEquals(1, status);
        assertEquals("deeptrace replay: " + input + ":2: bad record" + System.lineSeparator()
                + "deeptrace replay: --lenient skips and counts malformed records instead of stopping"
                + System.lineSeparator(), err());
        assertEquals("", out());
    }

    @Test
    void anArgumentTheServiceRejectsIsAUsageError() throws IOException {
        deployFakeReplayService();

        int status = run("replay", input("x").toString(), "--algo", "unknown");

        assertEquals(2, status);
        assertEquals("deeptrace replay: unknown correlator 'unknown'; available: fifo" + System.lineSeparator(), err());
    }

    @Test
    void aMissingServiceIsNamedAfterABoundedWait() throws IOException {
        System.setProperty(ReplayRun.WAIT_PROPERTY, "1");

        long start = System.nanoTime();
        int status = run("replay", input("x").toString());

        assertEquals(1, status);
        assertTrue(err().startsWith("deeptrace replay: no org.deeptrace.api.runtime.ReplayService service appeared"
                + " within 1 s"), err());
        assertTrue(System.nanoTime() - start < 15_000_000_000L, "bounded wait");
    }

    @Test
    void aBrokenJarInDeployIsSkippedWithAWarning() throws IOException {
        deployFakeReplayService();
        Files.writeString(home.resolve("deploy/broken.jar"), "not a zip");

        int status = run("replay", input("x").toString());

        assertEquals(0, status, err());
        assertTrue(err().startsWith("deeptrace replay: warning: " + home.resolve("deploy/broken.jar")
                + ": not installed: "), err());
        assertTrue(out().contains("records     1 read"), out());
    }

    @Test
    void aMissingInputFailsBeforeAnythingStarts() {
        int status = run("replay", work.resolve("nope.jsonl").toString());

        assertEquals(1, status);
        assertEquals("deeptrace replay: " + work.resolve("nope.jsonl") + ": no such file" + System.lineSeparator(),
                err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("replay"));
        assertTrue(err().startsWith("deeptrace replay: no input file given"), err());
        assertEquals(2, run("frobnicate"));
        assertEquals(0, run("replay", "--help"));
        assertTrue(out().startsWith("usage: deeptrace replay INPUT..."), out());
    }

    /** Packs the fake ReplayService into deploy/, the way a user drops in a plugin. */
    private void deployFakeReplayService() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.deeptrace.cli.fake");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", FakeReplayActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework,org.osgi.service.cm,org.deeptrace.api.capture,"
                + "org.deeptrace.api.runtime");
        Path classes = Path.of(FakeReplayActivator.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path packageDir = classes.resolve("org/deeptrace/cli/fake");
        try (OutputStream file = Files.newOutputStream(home.resolve("deploy/fake-replay.jar"));
                JarOutputStream jar = new JarOutputStream(file, manifest);
                Stream<Path> classFiles = Files.list(packageDir)) {
            for (Path classFile : classFiles.toList()) {
                jar.putNextEntry(new JarEntry("org/deeptrace/cli/fake/" + classFile.getFileName()));
                jar.write(Files.readAllBytes(classFile));
                jar.closeEntry();
            }
        }
    }

    private Path input(String... lines) throws IOException {
        Path file = Files.createTempFile(work, "in", ".jsonl");
        Files.write(file, java.util.List.of(lines));
        return file;
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return main.run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
