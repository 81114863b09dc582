package org.deeptrace.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.runtime.ReplayReport;
import org.deeptrace.api.runtime.ReplayInput;
import org.deeptrace.api.runtime.ReplayRequest;
import org.deeptrace.api.runtime.ReplayService;

@Command(scope = "deeptrace", name = "replay",
        description = "Replays recorded capture files through the registered plugins and prints what it did. "
                + "The spans also reach the live senders and span store unless --no-publish is given.")
@Service
public class ReplayCommand implements Action {

    @Reference(optional = true)
    ReplayService replayService;

    @Argument(index = 0, name = "files", required = true, multiValued = true,
            description = "Capture files to replay (any registered input format, plain or gzip), merged by time; "
                    + "HOST=FILE for a file captured on another host")
    @Completion(FileCompleter.class)
    List<String> files;

    @Option(name = "--algo", aliases = "-a", description = "Correlator to use instead of the configured one")
    @Completion(CorrelatorNameCompleter.class)
    String algorithm;

    @Option(name = "--spans", description = "Also write the span records to this file (JSON Lines)")
    @Completion(FileCompleter.class)
    String spansOut;

    @Option(name = "--messages", description = "Also write the L7 message records to this file (JSON Lines)")
    @Completion(FileCompleter.class)
    String messagesOut;

    @Option(name = "--lenient", description = "Skip and count malformed records instead of stopping at the first")
    boolean lenient;

    @Option(name = "--no-publish", description = "Do not hand the spans to the live senders and span store")
    boolean noPublish;

    @Override
    public Object execute() throws Exception {
        ReplayService service = Services.require(replayService, "The replay service");
        ReplayRequest request = request();
        ReplayReport report;
        try {
            report = service.replay(request);
        } catch (MalformedInputException | IOException | IllegalArgumentException e) {
            throw ReplayErrors.userError(e);
        }
        ReplayReportView.print(report, System.out);
        return null;
    }

    /** The request the options describe; refuses input paths that are not readable files. */
    ReplayRequest request() throws CommandException {
        List<ReplayInput> inputs = files.stream().map(f -> ReplayInput.parse(f, ShellPaths::resolve)).toList();
        for (ReplayInput in : inputs) {
            Path input = in.file();
            if (!Files.isRegularFile(input)) {
                throw new CommandException("replay failed: no such file: " + input);
            }
            if (!Files.isReadable(input)) {
                throw new CommandException("replay failed: permission denied: " + input);
            }
        }
        return ReplayRequest.of(inputs, blankToNull(algorithm), outputPath(spansOut), outputPath(messagesOut),
                lenient, !noPublish);
    }

    private static Path outputPath(String typed) {
        return typed == null || typed.isBlank() ? null : ShellPaths.resolve(typed);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
