package org.deeptrace.api.runtime;

import java.util.List;

/** The platform's management view, used by the shell, the REST API and the CLI. */
public interface DeepTraceRuntime {

    PipelineStatus status();

    /** Registered protocol parsers. */
    List<PluginInfo> protocols();

    /** Registered correlators; the configured one is active. */
    List<PluginInfo> correlators();

    /** Registered span senders. */
    List<PluginInfo> senders();
}
