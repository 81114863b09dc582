package org.deeptrace.pipeline.internal.core;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.Span;

/** A pipeline over the test's line protocol, no correlator, keeping what it outputs for the test to look at. */
abstract class LinePipelineTest {
    final Counters counters = new Counters();
    final List<Span> spans = new ArrayList<>();
    final List<L7Message> messages = new ArrayList<>();
    final Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(new LineProtocol())), () -> null,
            PipelineSettings.defaults("test-host"), counters, messages::add, spans::addAll);
}
