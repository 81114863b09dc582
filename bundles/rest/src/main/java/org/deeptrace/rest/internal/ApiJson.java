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
