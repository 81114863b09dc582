package org.deeptrace.shell.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

@Command(scope = "deeptrace", name = "capture",
        description = "Shows or changes what the live eBPF capture traces, and shows its counters.")
@Service
public class CaptureCommand implements Action {

    @Reference(optional = true)
    ConfigurationAdmin configurations;

    @Reference(optional = true)
    DeepTraceRuntime runtime;

    @Option(name = "--add-pid", multiValued = true, description = "Trace this process id")
    List<String> addPids = List.of();

    @Option(name = "--remove-pid", multiValued = true, description = "Stop tracing this process id")
    List<String> removePids = List.of();

    @Option(name = "--add-comm", multiValued = true, description = "Trace processes of this name")
    List<String> addComms = List.of();

    @Option(name = "--remove-comm", multiValued = true, description = "Stop tracing processes of this name")
    List<String> removeComms = List.of();

    @Option(name = "--add-cgroup", multiValued = true, description = "Trace the processes of this cgroup (v2 path)")
    List<String> addCgroups = List.of();

    @Option(name = "--remove-cgroup", multiValued = true, description = "Stop tracing this cgroup")
    List<String> removeCgroups = List.of();

    @Option(name = "--all", description = "Trace every process but DeepTrace itself")
    boolean all;

    @Option(name = "--no-all", description = "Trace only the listed targets")
    boolean noAll;

    @Option(name = "--clear", description = "Remove every target: the capture goes idle")
    boolean clear;

    @Override
    public Object execute() throws Exception {
        ConfigurationAdmin admin = Services.require(configurations, "Configuration Admin");
        Configuration config = admin.getConfiguration(CaptureTargets.PID, "?");
        Dictionary<String, Object> properties = config.getProperties();
        CaptureTargets targets = CaptureTargets.from(properties);
        if (changes()) {
            CaptureTargets.requirePids(addPids);
            apply(targets);
            Dictionary<String, Object> updated = properties == null ? new Hashtable<>() : properties;
            targets.into(updated);
            config.update(updated);
        }
        print(targets);
        return null;
    }

    private boolean changes() {
        return clear || all || noAll || !addPids.isEmpty() || !removePids.isEmpty() || !addComms.isEmpty()
                || !removeComms.isEmpty() || !addCgroups.isEmpty() || !removeCgroups.isEmpty();
    }

    private void apply(CaptureTargets t) {
        if (clear) {
            t.pids.clear();
            t.comms.clear();
            t.cgroups.clear();
            t.all = false;
        }
        t.pids.addAll(addPids.stream().map(String::trim).toList());
        t.pids.removeAll(removePids.stream().map(String::trim).toList());
        t.comms.addAll(addComms);
        t.comms.removeAll(removeComms);
        t.cgroups.addAll(addCgroups);
        t.cgroups.removeAll(removeCgroups);
        if (all) {
            t.all = true;
        }
        if (noAll) {
            t.all = false;
        }
    }

    private void print(CaptureTargets t) {
        System.out.println("targets  " + (t.isEmpty() ? "none (the capture is idle)"
                : (t.all ? "all processes but DeepTrace; " : "") + "pids " + t.pids + ", comms " + t.comms
                        + ", cgroups " + t.cgroups));
        if (runtime == null) {
            return;
        }
        Map<String, Long> counters = new TreeMap<>();
        runtime.status().counters().forEach((name, value) -> {
            if (name.startsWith("source.")) {
                counters.put(name.substring("source.".length()), value);
            }
        });
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        counters.forEach((name, value) -> table.addRow().addContent(name, value));
        table.print(System.out);
    }
}
