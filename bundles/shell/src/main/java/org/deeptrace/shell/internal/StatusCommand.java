package org.deeptrace.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.deeptrace.api.runtime.DeepTraceRuntime;

@Command(scope = "deeptrace", name = "status",
        description = "Shows the live pipeline: host, correlator, capture sources and counters.")
@Service
public class StatusCommand implements Action {

    @Reference(optional = true)
    DeepTraceRuntime runtime;

    @Override
    public Object execute() throws Exception {
        StatusView.print(Services.require(runtime, "The DeepTrace runtime").status(), System.out);
        return null;
    }
}
