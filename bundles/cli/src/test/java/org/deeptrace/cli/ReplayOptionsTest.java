package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayOptionsTest {

    @Test
    void inputsAndOptionsInAnyOrder() throws CliException {
        ReplayOptions options = ReplayOptions.parse(List.of("a.jsonl", "--algo", "fifo", "b.jsonl.gz",
                "--spans", "out/s.jsonl", "--lenient", "--messages=m.jsonl"));

        assertEquals(List.of(Path.of("a.jsonl"), Path.of("b.jsonl.gz")), options.inputs());
        assertEquals("fifo", options.algorithm());
        assertEquals(Path.of("out/s.jsonl"), options.spansOut());
        assertEquals(Path.of("m.jsonl"), options.messagesOut());
        assertTrue(options.lenient());
        assertFalse(options.help());
    }

    @Test
    void relativePathsStayAsTyped() throws CliException {
        ReplayOptions options = ReplayOptions.parse(List.of("../data/x.jsonl"));

        assertEquals(Path.of("../data/x.jsonl"), options.inputs().get(0));
        assertNull(options.algorithm());
        assertNull(options.spansOut());
        assertFalse(options.lenient());
    }

    @Test
    void doubleDashEndsOptions() throws CliException {
        ReplayOptions options = ReplayOptions.parse(List.of("--", "--lenient"));

        assertEquals(List.of(Path.of("--lenient")), options.inputs());
        assertFalse(options.lenient());
    }

    @Test
    void helpNeedsNoInput() throws CliException {
        assertTrue(ReplayOptions.parse(List.of("--help")).help());
        assertTrue(ReplayOptions.parse(List.of("-h")).help());
    }

    @Test
    void usageErrors() {
        assertUsage("no input file given", List.of());
        assertUsage("no input file given", List.of("--lenient"));
        assertUsage("unknown option --algorithm", List.of("x", "--algorithm", "fifo"));
        assertUsage("unknown option -x", List.of("-x", "in"));
        assertUsage("--algo needs a value", List.of("x", "--algo"));
        assertUsage("--algo needs a value", List.of("x", "--algo="));
        assertUsage("--spans needs a value", List.of("x", "--spans", " "));
        assertUsage("--lenient takes no value", List.of("x", "--lenient=yes"));
    }

    private static void assertUsage(String message, List<String> args) {
        CliException e = assertThrows(CliException.class, () -> ReplayOptions.parse(args));
        assertEquals(message, e.getMessage());
        assertEquals(CliException.USAGE, e.exitStatus());
        assertTrue(e.showUsage());
    }
}
