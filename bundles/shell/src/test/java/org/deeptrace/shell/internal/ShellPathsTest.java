package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShellPathsTest {
    private static final Path HOME = Path.of("/home/ana");
    private static final Path WORK = Path.of("/opt/deeptrace");

    @Test
    void relativePathsAreResolvedAgainstTheWorkingDirectory() {
        assertEquals(Path.of("/opt/deeptrace/data/a.jsonl"), ShellPaths.resolve("data/a.jsonl", HOME, WORK));
        assertEquals(Path.of("/opt/b.jsonl"), ShellPaths.resolve("../b.jsonl", HOME, WORK));
    }

    @Test
    void tildeIsTheHomeDirectory() {
        assertEquals(Path.of("/home/ana/c.jsonl"), ShellPaths.resolve("~/c.jsonl", HOME, WORK));
        assertEquals(HOME, ShellPaths.resolve("~", HOME, WORK));
        // Only a leading "~/" is special: "~x" is a file of that name.
        assertEquals(Path.of("/opt/deeptrace/~x"), ShellPaths.resolve("~x", HOME, WORK));
    }

    @Test
    void absolutePathsStay() {
        assertEquals(Path.of("/tmp/d.jsonl"), ShellPaths.resolve("/tmp/./d.jsonl", HOME, WORK));
    }
}
