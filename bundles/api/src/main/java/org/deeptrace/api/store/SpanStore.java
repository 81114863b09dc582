package org.deeptrace.api.store;

import java.util.List;
import org.deeptrace.api.model.Span;

/** Finds stored spans; registered as an OSGi service by a store bundle. */
public interface SpanStore {

    /** Matching spans, newest (by start) first. */
    List<Span> find(SpanQuery query);

    /** All spans of one trace, in start order. */
    List<Span> trace(String traceId);

    /** Number of spans held. */
    long size();
}
