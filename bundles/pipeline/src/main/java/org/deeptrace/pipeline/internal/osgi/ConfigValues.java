package org.deeptrace.pipeline.internal.osgi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values from a configuration dictionary and says exactly what is wrong with a bad one: the file,
 * the key and the reason.
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
        return v == null ? fallback : v.toString().trim();
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

    double fraction(String key, double fallback) {
        Object v = properties.get(key);
        double d;
        if (v == null) {
            return fallback;
        } else if (v instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                throw invalid(key, v, "is not a number");
            }
        }
        if (!(d >= 0 && d <= 1)) {
            throw invalid(key, v, "must be between 0 and 1");
        }
        return d;
    }

    /**
     * A list value: a String of items separated by commas (as in a .cfg file), or a String array or collection
     * (as ConfigAdmin may hold it). Items are trimmed; empty ones are skipped.
     */
    List<String> list(String key) {
        Object v = properties.get(key);
        List<String> raw = new ArrayList<>();
        if (v == null) {
            return raw;
        } else if (v instanceof String[] a) {
            raw.addAll(Arrays.asList(a));
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> raw.add(String.valueOf(x)));
        } else {
            raw.addAll(Arrays.asList(v.toString().split(",")));
        }
        List<String> out = new ArrayList<>();
        for (String item : raw) {
            for (String part : item.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** The file (or pid) the values come from, for messages. */
    String source() {
        return source;
    }

    IllegalArgumentException invalidEntry(String key, String entry, String reason) {
        return new IllegalArgumentException(source + ": " + key + " entry '" + entry + "' " + reason);
    }

    private long parseLong(String key, long fallback) {
        Object v = properties.get(key);
        if (v == null) {
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

    private IllegalArgumentException invalid(String key, Object value, String reason) {
        return new IllegalArgumentException(source + ": " + key + " = '" + value + "' " + reason);
    }
}
