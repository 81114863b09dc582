package org.deeptrace.pipeline.internal.core;

import java.util.List;
import org.deeptrace.api.model.Span;

/** Receives finished spans, correlated, in batches. */
@FunctionalInterface
public interface SpanOutput {
    void spans(List<Span> spans);
}
