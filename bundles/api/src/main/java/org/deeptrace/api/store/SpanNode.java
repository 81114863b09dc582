package org.deeptrace.api.store;

import java.util.List;
import java.util.Objects;
import org.deeptrace.api.model.Span;

/**
 * A span of a trace with the spans it caused, in start order.
 *
 * @param span the span
 * @param children the spans whose {@code parent_span_id} is this span's id
 */
public record SpanNode(Span span, List<SpanNode> children) {
    public SpanNode {
        Objects.requireNonNull(span, "span");
        children = List.copyOf(children);
    }
}
