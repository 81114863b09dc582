package org.deeptrace.query.federation.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.SpanKind;

/** Reads the agents' JSON answers that the query server merges (the REST bundle's ApiJson writes them). */
final class JsonAnswers {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonAnswers() {
    }

    /** One edge of {@code /api/dependencies}. */
    record Edge(String parent, int parentPid, String child, int childPid, long calls, double callsPerSecond,
            double errorRate, long p50Ns, long p90Ns, long p99Ns) {
    }

    /** One entry of {@code /api/endpoints/{service}/latency}, with its non-empty buckets (lower bound → count). */
    record Latency(String service, String endpoint, SpanKind kind, long count, long errors, long minNs, long meanNs,
            long maxNs, Map<Long, Long> buckets) {
    }

    static long size(InputStream in, String agent) throws IOException {
        Map<String, Object> o = objects(in, agent).get(0);
        return ((Number) o.get("spans")).longValue();
    }

    static List<Edge> dependencies(InputStream in, String agent) throws IOException {
        List<Edge> out = new ArrayList<>();
        for (Map<String, Object> o : objects(in, agent)) {
            out.add(new Edge((String) o.get("parent"), num(o, "parent_pid").intValue(), (String) o.get("child"),
                    num(o, "child_pid").intValue(), num(o, "calls").longValue(),
                    num(o, "calls_per_second").doubleValue(), num(o, "error_rate").doubleValue(),
                    num(o, "p50_ns").longValue(), num(o, "p90_ns").longValue(), num(o, "p99_ns").longValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Latency> endpointLatency(InputStream in, String agent) throws IOException {
        List<Latency> out = new ArrayList<>();
        for (Map<String, Object> o : objects(in, agent)) {
            Map<Long, Long> buckets = new HashMap<>();
            for (Object b : (List<Object>) o.getOrDefault("buckets", List.of())) {
                Map<String, Object> bucket = (Map<String, Object>) b;
                buckets.put(num(bucket, "lower_ns").longValue(), num(bucket, "count").longValue());
            }
            out.add(new Latency((String) o.get("service"), (String) o.get("endpoint"),
                    SpanKind.fromWireName((String) o.get("kind")), num(o, "count").longValue(),
                    num(o, "errors").longValue(), num(o, "min_ns").longValue(), num(o, "mean_ns").longValue(),
                    num(o, "max_ns").longValue(), buckets));
        }
        return out;
    }

    private static Number num(Map<String, Object> o, String key) throws IOException {
        Object v = o.get(key);
        if (!(v instanceof Number n)) {
            throw new IOException("field " + key + " is missing or not a number: " + v);
        }
        return n;
    }

    /** The top-level objects: the elements of an array, or the one object. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(InputStream in, String agent) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            Object v = value(p, p.nextToken());
            if (v instanceof Map) {
                return List.of((Map<String, Object>) v);
            }
            if (v instanceof List<?> list) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Object e : list) {
                    if (!(e instanceof Map)) {
                        throw new IOException("agent " + agent + ": expected JSON objects, got " + e);
                    }
                    out.add((Map<String, Object>) e);
                }
                return out;
            }
            throw new IOException("agent " + agent + ": expected a JSON object or array");
        } catch (IOException | RuntimeException e) {
            throw new IOException("agent " + agent + ": malformed answer: " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("empty answer");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + t);
        }
    }
}
