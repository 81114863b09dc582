package org.deeptrace.rest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.LatencyHistogram;
import org.deeptrace.api.store.SpanNode;
import org.deeptrace.api.store.TraceSummary;

/** The JSON documents of the REST API. Field names are snake_case, like the record contract's. */
final class ApiJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ApiJson() {
    }

    /** {@code {host, correlator, correlator_available, sources, counters}}, counters sorted by name. */
    static String status(PipelineStatus status) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("host", status.host());
            g.writeStringField("correlator", status.correlator());
            g.writeBooleanField("correlator_available", status.correlatorAvailable());
            g.writeArrayFieldStart("sources");
            for (String source : nullToEmpty(status.sources())) {
                g.writeString(source);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("counters");
            Map<String, Long> counters = status.counters() == null ? Map.of() : status.counters();
            for (Map.Entry<String, Long> c : new TreeMap<>(counters).entrySet()) {
                g.writeFieldName(c.getKey());
                if (c.getValue() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(c.getValue());
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** An array of {@code {name, bundle, version, active}}, in the order given. */
    static String plugins(List<PluginInfo> plugins) {
        return write(g -> {
            g.writeStartArray();
            for (PluginInfo p : nullToEmpty(plugins)) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("bundle", p.bundle());
                g.writeStringField("version", p.version());
                g.writeBooleanField("active", p.active());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /**
     * An array of span records, each exactly as {@link RecordJson#span} writes it to a spans file, so a
     * client reading the REST API and one reading {@code *.spans.jsonl} see the same fields.
     */
    static String spans(List<Span> spans) {
        return write(g -> {
            g.writeStartArray();
            for (Span s : nullToEmpty(spans)) {
                g.writeRawValue(RecordJson.span(s));
            }
            g.writeEndArray();
        });
    }

    /**
     * An array of trace summaries: {@code {trace_id, root_service, root_endpoint, services, span_count, start_ns,
     * duration_ns, error}}.
     */
    static String traceSummaries(List<TraceSummary> traces) {
        return write(g -> {
            g.writeStartArray();
            for (TraceSummary t : nullToEmpty(traces)) {
                g.writeStartObject();
                g.writeStringField("trace_id", t.traceId());
                g.writeStringField("root_service", t.rootService());
                g.writeStringField("root_endpoint", t.rootEndpoint());
                g.writeArrayFieldStart("services");
                for (String s : t.services()) {
                    g.writeString(s);
                }
                g.writeEndArray();
                g.writeNumberField("span_count", t.spanCount());
                g.writeNumberField("start_ns", t.startNs());
                g.writeNumberField("duration_ns", t.durationNs());
                g.writeBooleanField("error", t.error());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /**
     * {@code {trace_id, span_count, roots}}: each node is the span record (as in a spans file) plus
     * {@code children}, an array of nodes in start order. Spans whose parent is not stored are roots.
     */
    static String traceTree(String traceId, int spanCount, List<SpanNode> roots) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("trace_id", traceId);
            g.writeNumberField("span_count", spanCount);
            g.writeFieldName("roots");
            g.writeStartArray();
            for (SpanNode root : roots) {
                g.writeRawValue(node(root));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static String node(SpanNode n) {
        String record = RecordJson.span(n.span());
        StringBuilder b = new StringBuilder(record.length() + 32);
        b.append(record, 0, record.length() - 1).append(",\"children\":[");
        for (int i = 0; i < n.children().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(node(n.children().get(i)));
        }
        return b.append("]}").toString();
    }

    /**
     * An array of edges between processes: {@code {parent, parent_pid, child, child_pid, calls, calls_per_second,
     * error_rate, p50_ns, p90_ns, p99_ns}} ({@code child_pid} 0 and {@code child} an address for untraced peers).
     */
    static String dependencies(List<DependencyLink> links) {
        return write(g -> {
            g.writeStartArray();
            for (DependencyLink l : nullToEmpty(links)) {
                g.writeStartObject();
                g.writeStringField("parent", l.parent());
                g.writeNumberField("parent_pid", l.parentPid());
                g.writeStringField("child", l.child());
                g.writeNumberField("child_pid", l.childPid());
                g.writeNumberField("calls", l.calls());
                g.writeNumberField("calls_per_second", l.callsPerSecond());
                g.writeNumberField("error_rate", l.errorRate());
                g.writeNumberField("p50_ns", l.p50Ns());
                g.writeNumberField("p90_ns", l.p90Ns());
                g.writeNumberField("p99_ns", l.p99Ns());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /**
     * An array of {@code {service, endpoint, kind, count, errors, min_ns, mean_ns, max_ns, p50_ns, p90_ns, p99_ns,
     * buckets}}; {@code buckets} lists the non-empty histogram bins as {@code {lower_ns, upper_ns, count}}
     * ({@code upper_ns} exclusive, null for the open last bin).
     */
    static String endpointLatency(List<EndpointLatency> endpoints) {
        return write(g -> {
            g.writeStartArray();
            for (EndpointLatency e : nullToEmpty(endpoints)) {
                LatencyHistogram h = e.histogram();
                g.writeStartObject();
                g.writeStringField("service", e.service());
                g.writeStringField("endpoint", e.endpoint());
                g.writeStringField("kind", e.kind().wireName());
                g.writeNumberField("count", h.count());
                g.writeNumberField("errors", e.errors());
                g.writeNumberField("min_ns", h.minNs());
                g.writeNumberField("mean_ns", h.meanNs());
                g.writeNumberField("max_ns", h.maxNs());
                g.writeNumberField("p50_ns", h.percentileNs(0.5));
                g.writeNumberField("p90_ns", h.percentileNs(0.9));
                g.writeNumberField("p99_ns", h.percentileNs(0.99));
                g.writeArrayFieldStart("buckets");
                for (int i = 0; i < LatencyHistogram.BINS; i++) {
                    if (h.count(i) > 0) {
                        g.writeStartObject();
                        g.writeNumberField("lower_ns", LatencyHistogram.lowerBoundNs(i));
                        if (i == LatencyHistogram.BINS - 1) {
                            g.writeNullField("upper_ns");
                        } else {
                            g.writeNumberField("upper_ns", LatencyHistogram.upperBoundNs(i));
                        }
                        g.writeNumberField("count", h.count(i));
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** {@code {"error": message, "status": status}}. */
    static String error(int status, String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeNumberField("status", status);
            g.writeEndObject();
        });
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException e) {
            // A StringWriter does not fail; this only satisfies the generator's signature.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
