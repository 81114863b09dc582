package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionTest {

    @TempDir
    Path home;
    private Path replay;

    @BeforeEach
    void layout() throws IOException {
        replay = Files.createDirectories(home.resolve("lib/replay"));
        Files.createDirectories(home.resolve("deploy"));
    }

    @Test
    void listedBundlesFirstThenUnlistedThenDeployed() throws Exception {
        for (String name : List.of("b.jar", "a.jar", "z.jar", "extra.jar")) {
            Files.writeString(replay.resolve(name), "");
        }
        Files.writeString(replay.resolve("notes.txt"), "");
        Files.writeString(home.resolve("deploy/plugin-2.jar"), "");
        Files.writeString(home.resolve("deploy/plugin-1.jar"), "");
        Files.writeString(home.resolve("deploy/README"), "");
        Files.writeString(replay.resolve(Distribution.BUNDLE_LIST), "# order\nz.jar\n\n  b.jar \na.jar\n");

        List<Path> jars = new Distribution(home).bundleJars();

        assertEquals(List.of(replay.resolve("z.jar"), replay.resolve("b.jar"), replay.resolve("a.jar"),
                replay.resolve("extra.jar"), home.resolve("deploy/plugin-1.jar"), home.resolve("deploy/plugin-2.jar")),
                jars);
    }

    @Test
    void aListedBundleThatIsMissingIsAnError() throws Exception {
        Files.writeString(replay.resolve(Distribution.BUNDLE_LIST), "gone.jar\n");

        CliException e = assertThrows(CliException.class, () -> new Distribution(home).bundleJars());

        assertTrue(e.getMessage().startsWith(replay.resolve("gone.jar") + " (listed in"), e.getMessage());
        assertEquals(CliException.FAILED, e.exitStatus());
    }

    @Test
    void locateNeedsLibReplay() {
        System.setProperty(Distribution.HOME_PROPERTY, home.resolve("elsewhere").toString());
        try {
            CliException e = assertThrows(CliException.class, Distribution::locate);
            assertTrue(e.getMessage().startsWith("cannot find the distribution's lib/replay directory"), e.getMessage());
        } finally {
            System.clearProperty(Distribution.HOME_PROPERTY);
        }
    }

    @Test
    void locateFromTheProperty() throws CliException {
        System.setProperty(Distribution.HOME_PROPERTY, home.toString());
        try {
            Distribution distribution = Distribution.locate();
            assertEquals(home.resolve("data"), distribution.data());
            assertEquals(home.resolve("etc"), distribution.etc());
        } finally {
            System.clearProperty(Distribution.HOME_PROPERTY);
        }
    }
}
