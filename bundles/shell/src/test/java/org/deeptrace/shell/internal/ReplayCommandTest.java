package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.support.CommandException;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.runtime.ReplayReport;
import org.deeptrace.api.runtime.ReplayRequest;
import org.deeptrace.api.runtime.ReplayService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    @TempDir
    Path dir;

    private Path capture;
    private ReplayRequest received;
    private ReplayCommand command;

    @BeforeEach
    void setUp() throws IOException {
        capture = Files.writeString(dir.resolve("a.capture.jsonl"), "{}\n");
        command = new ReplayCommand();
        command.files = List.of(capture.toString());
    }

    private ReplayService answering(ReplayReport report) {
        return request -> {
            received = request;
            return report;
        };
    }

    private ReplayService failing(Exception failure) {
        return request -> {
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof MalformedInputException m) {
                throw m;
            }
            throw (RuntimeException) failure;
        };
    }

    @Test
    void publishesByDefaultAndUsesTheConfiguredCorrelator() throws Exception {
        ReplayRequest request = command.request();

        assertEquals(List.of(capture), request.inputs());
        assertTrue(request.publish());
        assertFalse(request.lenient());
        assertNull(request.algorithm());
        assertNull(request.spansOut());
        assertNull(request.messagesOut());
    }

    @Test
    void optionsMapOntoTheRequest() throws Exception {
        Path second = Files.writeString(dir.resolve("b.capture.jsonl.gz"), "");
        command.files = List.of(capture.toString(), second.toString());
        command.algorithm = "window";
        command.spansOut = dir.resolve("out.spans.jsonl").toString();
        command.messagesOut = dir.resolve("out.messages.jsonl").toString();
        command.lenient = true;
        command.noPublish = true;

        ReplayRequest request = command.request();

        assertEquals(List.of(capture, second), request.inputs());
        assertEquals("window", request.algorithm());
        assertEquals(dir.resolve("out.spans.jsonl"), request.spansOut());
        assertEquals(dir.resolve("out.messages.jsonl"), request.messagesOut());
        assertTrue(request.lenient());
        assertFalse(request.publish());
    }

    @Test
    void missingInputIsAOneLineUserError() {
        command.files = List.of(capture.toString(), dir.resolve("missing.jsonl").toString());

        CommandException e = assertThrows(CommandException.class, command::request);

        assertEquals("replay failed: no such file: " + dir.resolve("missing.jsonl"), e.getMessage());
    }

    @Test
    void printsTheReport() throws Exception {
        command.replayService = answering(new ReplayReport(12, 0, Map.of("HTTP1", 4L), Map.of("HTTP1", 2L), "fifo",
                1, 1, Map.of()));

        String out = Fakes.captureStdout(command::execute);

        assertTrue(received.publish());
        assertTrue(out.startsWith("Records    : 12 read, 0 skipped"), out);
        assertTrue(out.contains("1 of 1 client spans parented (100.0%)"), out);
    }

    @Test
    void malformedInputNamesFileLineAndReason() {
        command.replayService = failing(new MalformedInputException(capture, 3, "missing field ts_ns"));

        CommandException e = assertThrows(CommandException.class, command::execute);

        assertEquals("replay failed: " + capture + ":3: missing field ts_ns", e.getMessage());
    }

    @Test
    void unknownCorrelatorIsAUserError() {
        command.replayService = failing(new IllegalArgumentException("no correlator named 'nope'"));

        CommandException e = assertThrows(CommandException.class, command::execute);

        assertEquals("replay failed: no correlator named 'nope'", e.getMessage());
    }

    @Test
    void ioErrorsAreOneLine() {
        command.replayService = failing(new NoSuchFileException("/nowhere/out.spans.jsonl"));

        CommandException e = assertThrows(CommandException.class, command::execute);

        assertEquals("replay failed: no such file: /nowhere/out.spans.jsonl", e.getMessage());
        assertEquals("replay failed: I/O error: disk full", ReplayErrors.userError(new IOException("disk full"))
                .getMessage());
        assertFalse(ReplayErrors.describe(new IOException("x\ny")).isEmpty());
    }

    @Test
    void missingServiceIsReported() {
        CommandException e = assertThrows(CommandException.class, command::execute);
        assertTrue(e.getMessage().startsWith("The replay service is not available"), e.getMessage());
    }
}
