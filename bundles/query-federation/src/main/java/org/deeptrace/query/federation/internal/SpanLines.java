package org.deeptrace.query.federation.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;

/**
 * Reads span records (contract section 3) as an agent sends them: JSON objects one after another (JSON Lines), or
 * a JSON array of them. Unknown fields are skipped, as the contract asks of readers.
 */
public final class SpanLines {
    private static final JsonFactory FACTORY = new JsonFactory();

    private SpanLines() {
    }

    /**
     * @param source names the input in error messages (an agent and a request)
     * @throws IOException with the source, the record's number and the reason when a record is malformed
     */
    public static List<Span> read(InputStream in, String source) throws IOException {
        List<Span> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY || t == JsonToken.END_ARRAY) {
                    continue;
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException(source + ": span record " + (out.size() + 1) + " is not a JSON object");
                }
                try {
                    out.add(span(p));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new IOException(source + ": span record " + (out.size() + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static Span span(JsonParser p) throws IOException {
        String spanId = null;
        String parent = null;
        String traceId = null;
        SpanKind kind = null;
        String host = null;
        int tgid = 0;
        int tid = 0;
        String comm = null;
        String protocol = null;
        Transport l4 = null;
        String local = null;
        String remote = null;
        long start = 0;
        long end = 0;
        long reqSize = 0;
        long respSize = 0;
        String endpoint = null;
        String requestType = null;
        String resource = null;
        ResponseStatus status = null;
        Integer code = null;
        String traceIdHeader = null;
        String xRequestId = null;
        Correlation correlation = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "span_id" -> spanId = p.getText();
                case "parent_span_id" -> parent = p.getText();
                case "trace_id" -> traceId = p.getText();
                case "kind" -> kind = SpanKind.fromWireName(p.getText());
                case "host" -> host = p.getText();
                case "tgid" -> tgid = p.getIntValue();
                case "tid" -> tid = p.getIntValue();
                case "comm" -> comm = p.getText();
                case "protocol" -> protocol = p.getText();
                case "l4" -> l4 = Transport.fromWireName(p.getText());
                case "local" -> local = p.getText();
                case "remote" -> remote = p.getText();
                case "start_ns" -> start = p.getLongValue();
                case "end_ns" -> end = p.getLongValue();
                case "req_size" -> reqSize = p.getLongValue();
                case "resp_size" -> respSize = p.getLongValue();
                case "endpoint" -> endpoint = p.getText();
                case "request_type" -> requestType = p.getText();
                case "request_resource" -> resource = p.getText();
                case "response_status" -> status = ResponseStatus.fromWireName(p.getText());
                case "response_code" -> code = p.getIntValue();
                case "trace_id_header" -> traceIdHeader = p.getText();
                case "x_request_id" -> xRequestId = p.getText();
                case "correlation" -> correlation = correlation(p);
                default -> p.skipChildren();
            }
        }
        return new Span(spanId, parent, traceId, kind, host, tgid, tid, comm, protocol, l4, local, remote, start, end,
                reqSize, respSize, endpoint, requestType, resource, status, code, traceIdHeader, xRequestId,
                correlation);
    }

    private static Correlation correlation(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("correlation must be an object");
        }
        String algorithm = null;
        double score = 0;
        int candidates = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "algorithm" -> algorithm = p.getValueAsString();
                case "score" -> score = p.getDoubleValue();
                case "candidates" -> candidates = p.getIntValue();
                default -> p.skipChildren();
            }
        }
        return new Correlation(algorithm, score, candidates);
    }
}
