package org.deeptrace.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.deeptrace.api.runtime.DeepTraceRuntime;

@Command(scope = "deeptrace", name = "senders", description = "Lists the registered span senders; attached ones are active.")
@Service
public class SendersCommand implements Action {

    @Reference(optional = true)
    DeepTraceRuntime runtime;

    @Override
    public Object execute() throws Exception {
        PluginTable.print(Services.require(runtime, "The DeepTrace runtime").senders(), "no span sender registered", System.out);
        return null;
    }
}
