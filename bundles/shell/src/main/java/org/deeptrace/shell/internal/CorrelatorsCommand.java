package org.deeptrace.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.deeptrace.api.runtime.DeepTraceRuntime;

@Command(scope = "deeptrace", name = "correlators", description = "Lists the registered correlators; the configured one is active.")
@Service
public class CorrelatorsCommand implements Action {

    @Reference(optional = true)
    DeepTraceRuntime runtime;

    @Override
    public Object execute() throws Exception {
        PluginTable.print(Services.require(runtime, "The DeepTrace runtime").correlators(), "no correlator registered", System.out);
        return null;
    }
}
