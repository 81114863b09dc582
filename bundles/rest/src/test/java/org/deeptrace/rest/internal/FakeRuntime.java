package org.deeptrace.rest.internal;

import java.util.List;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;

/** A runtime that reports what the test put in it. */
final class FakeRuntime implements DeepTraceRuntime {
    PipelineStatus status;
    List<PluginInfo> protocols = List.of();
    List<PluginInfo> correlators = List.of();
    List<PluginInfo> senders = List.of();

    FakeRuntime(PipelineStatus status) {
        this.status = status;
    }

    @Override
    public PipelineStatus status() {
        return status;
    }

    @Override
    public List<PluginInfo> protocols() {
        return protocols;
    }

    @Override
    public List<PluginInfo> correlators() {
        return correlators;
    }

    @Override
    public List<PluginInfo> senders() {
        return senders;
    }
}
