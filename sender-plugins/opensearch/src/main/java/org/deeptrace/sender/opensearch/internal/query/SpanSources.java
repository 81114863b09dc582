package org.deeptrace.sender.opensearch.internal.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;

/**
 * Reads spans back from the documents the sender indexed: the contract's span record (section 3, as
 * {@code RecordJson.span} writes it) plus the sender's {@code @timestamp} and {@code duration_ns}, which are ignored.
 * Absent and {@code null} fields are the same: the span's value is null (or 0 for numbers).
 */
final class SpanSources {
    private SpanSources() {
    }

    /** The span of one document's {@code _source}; throws naming the field when a required one is missing. */
    static Span span(JsonNode n) {
        JsonNode c = n.get("correlation");
        Correlation correlation = c == null || c.isNull() ? null
                : new Correlation(text(c, "algorithm"), c.path("score").asDouble(), c.path("candidates").asInt());
        String l4 = text(n, "l4");
        String status = text(n, "response_status");
        JsonNode code = n.get("response_code");
        return new Span(required(n, "span_id"), text(n, "parent_span_id"), text(n, "trace_id"),
                SpanKind.fromWireName(required(n, "kind")), text(n, "host"), n.path("tgid").asInt(),
                n.path("tid").asInt(), text(n, "comm"), required(n, "protocol"),
                l4 == null ? null : Transport.fromWireName(l4), required(n, "local"), required(n, "remote"),
                number(n, "start_ns"), number(n, "end_ns"), number(n, "req_size"), number(n, "resp_size"),
                text(n, "endpoint"), text(n, "request_type"), text(n, "request_resource"),
                status == null ? null : ResponseStatus.fromWireName(status),
                code == null || code.isNull() ? null : code.asInt(), text(n, "trace_id_header"),
                text(n, "x_request_id"), correlation);
    }

    /** A text field, null when absent or null. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A whole-number field, 0 when absent. */
    static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? 0 : v.asLong();
    }

    private static String required(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw new IllegalStateException("span document without " + field + ": " + clip(n.toString()));
        }
        return v;
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
