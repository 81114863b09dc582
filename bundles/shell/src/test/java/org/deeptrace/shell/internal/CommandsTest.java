package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;
import org.junit.jupiter.api.Test;

/** The plugin-list and status commands, and the completers, against a fake runtime. */
class CommandsTest {
    private static final DeepTraceRuntime RUNTIME = Fakes.runtime(
            new PipelineStatus("node-1", "fifo", true, List.of("ebpf"), Map.of("records.in", 7L)),
            List.of(new PluginInfo("Redis", "org.deeptrace.protocol.redis", "0.1.0", true),
                    new PluginInfo("HTTP1", "org.deeptrace.protocol.http1", "0.1.0", true)),
            List.of(new PluginInfo("fifo", "org.deeptrace.correlator.fifo", "0.1.0", true),
                    new PluginInfo("fastest", "org.example.fastest", "1.0.0", false)),
            List.of(new PluginInfo("file", "org.deeptrace.sender.file", "0.1.0", true)));

    @Test
    void everyCommandIsAKarafServiceInTheDeeptraceScope() {
        List<String> names = new ArrayList<>();
        for (Class<?> c : List.of(StatusCommand.class, ProtocolsCommand.class, CorrelatorsCommand.class,
                SendersCommand.class, ReplayCommand.class, SpansCommand.class)) {
            assertTrue(c.isAnnotationPresent(Service.class), c.getName());
            Command command = c.getAnnotation(Command.class);
            assertEquals("deeptrace", command.scope());
            names.add(command.name());
        }
        assertEquals(List.of("status", "protocols", "correlators", "senders", "replay", "spans"), names);
        assertTrue(CorrelatorNameCompleter.class.isAnnotationPresent(Service.class));
        assertTrue(ProtocolNameCompleter.class.isAnnotationPresent(Service.class));
    }

    @Test
    void listCommandsPrintTheirOwnPlugins() throws Exception {
        ProtocolsCommand protocols = new ProtocolsCommand();
        protocols.runtime = RUNTIME;
        String out = Fakes.captureStdout(protocols::execute);
        assertTrue(out.indexOf("HTTP1") < out.indexOf("Redis") && out.indexOf("HTTP1") > 0, out);

        CorrelatorsCommand correlators = new CorrelatorsCommand();
        correlators.runtime = RUNTIME;
        out = Fakes.captureStdout(correlators::execute);
        assertTrue(out.contains("org.example.fastest") && !out.contains("HTTP1"), out);

        SendersCommand senders = new SendersCommand();
        senders.runtime = RUNTIME;
        out = Fakes.captureStdout(senders::execute);
        assertTrue(out.contains("org.deeptrace.sender.file"), out);
    }

    @Test
    void statusPrintsThePipeline() throws Exception {
        StatusCommand status = new StatusCommand();
        status.runtime = RUNTIME;
        String out = Fakes.captureStdout(status::execute);
        assertTrue(out.startsWith("Host       : node-1"), out);
        assertTrue(out.contains("records.in"), out);
    }

    @Test
    void commandsWithoutRuntimeSayWhatIsMissing() {
        CommandException e = assertThrows(CommandException.class, new StatusCommand()::execute);
        assertEquals("The DeepTrace runtime is not available: is the DeepTrace pipeline installed and started?",
                e.getMessage());
        assertThrows(CommandException.class, new SendersCommand()::execute);
    }

    @Test
    void correlatorCompleterOffersRegisteredNamesMatchingThePrefix() {
        CorrelatorNameCompleter completer = new CorrelatorNameCompleter();
        completer.runtime = RUNTIME;
        List<String> candidates = new ArrayList<>();

        completer.complete(null, Fakes.cursorAt("fi"), candidates);

        assertEquals(List.of("fifo"), candidates.stream().map(String::strip).toList());

        candidates.clear();
        completer.complete(null, Fakes.cursorAt(""), candidates);
        assertEquals(List.of("fastest", "fifo"), candidates.stream().map(String::strip).toList());
    }

    @Test
    void protocolCompleterOffersProtocolNames() {
        ProtocolNameCompleter completer = new ProtocolNameCompleter();
        completer.runtime = RUNTIME;
        List<String> candidates = new ArrayList<>();

        completer.complete(null, Fakes.cursorAt("H"), candidates);

        assertEquals(List.of("HTTP1"), candidates.stream().map(String::strip).toList());
    }

    @Test
    void completersOfferNothingWithoutRuntime() {
        List<String> candidates = new ArrayList<>();
        assertEquals(-1, new CorrelatorNameCompleter().complete(null, Fakes.cursorAt("f"), candidates));
        assertTrue(candidates.isEmpty());
    }
}
