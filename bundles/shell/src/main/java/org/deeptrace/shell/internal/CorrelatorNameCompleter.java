package org.deeptrace.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.deeptrace.api.runtime.DeepTraceRuntime;

/** Completes the names of the registered correlators. */
@Service
public class CorrelatorNameCompleter implements Completer {

    @Reference(optional = true)
    DeepTraceRuntime runtime;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        if (runtime == null) {
            return -1;
        }
        return new StringsCompleter(PluginNames.of(runtime.correlators())).complete(session, commandLine, candidates);
    }
}
