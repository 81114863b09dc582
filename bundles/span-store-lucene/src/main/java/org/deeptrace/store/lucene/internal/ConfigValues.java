package org.deeptrace.store.lucene.internal;

import java.util.Map;

/**
 * Reads typed values from a configuration dictionary and says exactly what is wrong with a bad one: the file,
 * the key and the reason (the pipeline's rule, repeated here because bundles share no implementation packages).
 */
final class ConfigValues {
    private final Map<String, ?> properties;
    private final String source;

    ConfigValues(Map<String, ?> properties, String pid) {
        this.properties = properties;
        Object file = properties.get("felix.fileinstall.filename");
        this.source = file != null ? file.toString().replaceFirst("^file:", "") : "configuration " + pid;
    }

    String string(String key, String fallback) {
        Object v = properties.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    long positiveLong(String key, long fallback) {
        long v = parseLong(key, fallback);
        if (v <= 0) {
            throw invalid(key, v, "must be greater than 0");
        }
        return v;
    }

    long nonNegativeLong(String key, long fallback) {
        long v = parseLong(key, fallback);
        if (v < 0) {
            throw invalid(key, v, "must not be negative");
        }
        return v;
    }

    IllegalArgumentException invalid(String key, Object value, String reason) {
        return new IllegalArgumentException(source + ": " + key + " = '" + value + "' " + reason);
    }

    private long parseLong(String key, long fallback) {
        Object v = properties.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, v, "is not a whole number");
        }
    }
}
