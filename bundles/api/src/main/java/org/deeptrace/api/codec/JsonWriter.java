package org.deeptrace.api.codec;

/**
 * Appends one flat JSON object to a {@link StringBuilder}; absent optional fields are omitted. Small on
 * purpose: the records are flat, and the API bundle must not drag a JSON library into every plugin.
 */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private boolean first = true;

    JsonWriter(StringBuilder out) {
        this.out = out;
        out.append('{');
    }

    JsonWriter field(String name, String value) {
        if (value != null) {
            name(name);
            string(value);
        }
        return this;
    }

    /** Writes {@code null} explicitly where the contract wants the field present. */
    JsonWriter nullableField(String name, String value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    /** Writes {@code null} explicitly where the contract wants the field present. */
    JsonWriter nullableField(String name, Integer value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            out.append(value.intValue());
        }
        return this;
    }

    JsonWriter field(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    JsonWriter field(String name, Integer value) {
        if (value != null) {
            name(name);
            out.append(value.intValue());
        }
        return this;
    }

    JsonWriter field(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    JsonWriter field(String name, double value) {
        name(name);
        if (Double.isFinite(value)) {
            out.append(value);
        } else {
            out.append("null");
        }
        return this;
    }

    /** A string or a number, as the value is. */
    JsonWriter scalar(String name, Object value) {
        if (value instanceof Number n) {
            name(name);
            out.append(n.longValue());
        } else if (value != null) {
            field(name, value.toString());
        }
        return this;
    }

    /** Starts a nested object under {@code name}; close it with {@link #end()}. */
    JsonWriter object(String name) {
        name(name);
        return new JsonWriter(out);
    }

    void end() {
        out.append('}');
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append('"').append(name).append("\":");
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
