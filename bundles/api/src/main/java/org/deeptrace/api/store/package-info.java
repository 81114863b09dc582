/**
 * Span storage and query. Since 1.1: trace search ({@link org.deeptrace.api.store.TraceQuery},
 * {@link org.deeptrace.api.store.TraceSummary}), the service dependency graph
 * ({@link org.deeptrace.api.store.DependencyLink}) and per-endpoint latency histograms
 * ({@link org.deeptrace.api.store.EndpointLatency}, {@link org.deeptrace.api.store.LatencyHistogram}) on
 * {@link org.deeptrace.api.store.SpanStore}, with {@link org.deeptrace.api.store.TraceAnalysis}: the same answers
 * computed from a list of spans, for stores that scan and for the parts an index cannot answer alone. Since 1.2:
 * {@link org.deeptrace.api.store.SpanStore#storeCounters()}, a store's own counters for status output.
 *
 * <p>Throughout, a <em>service</em> is a span's {@code comm}: the name of the process that sent or served the
 * request.
 */
@Export
@Version("1.2.0")
package org.deeptrace.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
