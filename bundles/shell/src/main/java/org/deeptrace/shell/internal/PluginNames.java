package org.deeptrace.shell.internal;

import java.util.List;
import java.util.Objects;
import org.deeptrace.api.runtime.PluginInfo;

/** The distinct, sorted names of plugins, as completion candidates. */
final class PluginNames {
    private PluginNames() {
    }

    static List<String> of(List<PluginInfo> plugins) {
        return plugins.stream().map(PluginInfo::name).filter(Objects::nonNull).distinct().sorted().toList();
    }
}
