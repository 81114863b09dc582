package org.deeptrace.shell.internal;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;
import org.deeptrace.api.runtime.PluginInfo;

/** Prints plugins as a table: name, bundle, version, active; sorted by name. */
final class PluginTable {
    private PluginTable() {
    }

    static void print(List<PluginInfo> plugins, String emptyText, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText(emptyText);
        table.column("Name");
        table.column("Bundle");
        table.column("Version");
        table.column("Active");
        plugins.stream()
                .sorted(Comparator.comparing(PluginInfo::name, Comparator.nullsLast(Comparator.naturalOrder())))
                .forEach(p -> table.addRow().addContent(p.name(), p.bundle(), p.version(), p.active() ? "yes" : "no"));
        table.print(out);
    }
}
