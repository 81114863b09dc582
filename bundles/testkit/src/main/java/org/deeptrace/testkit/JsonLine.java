package org.deeptrace.testkit;

import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately tiny JSON reader for one line of a JSON Lines file whose top level is an object.
 *
 * <p>Top-level strings, numbers, booleans and nulls are returned; nested objects and arrays are skipped, since
 * readers of the contract's records must ignore fields they do not know. Keeps the test kit free of a JSON library.
 */
final class JsonLine {

    private final String text;
    private int pos;

    private JsonLine(String text) {
        this.text = text;
    }

    /**
     * Parses {@code line} into its top-level fields: {@link String}, {@link Long}, {@link Double}, {@link Boolean},
     * or {@code null} for a JSON null (nested values are left out).
     *
     * @throws IllegalArgumentException with the column and the reason when the line is not a JSON object
     */
    static Map<String, Object> parseObject(String line) {
        JsonLine p = new JsonLine(line);
        Map<String, Object> fields = new HashMap<>();
        p.skipWhitespace();
        p.expect('{');
        p.skipWhitespace();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skipWhitespace();
                String name = p.readString();
                p.skipWhitespace();
                p.expect(':');
                p.skipWhitespace();
                char c = p.peek();
                if (c == '{' || c == '[') {
                    p.skipNested();
                } else {
                    fields.put(name, p.readScalar());
                }
                p.skipWhitespace();
                char next = p.next();
                if (next == '}') {
                    break;
                }
                if (next != ',') {
                    p.pos--;
                    throw p.error("expected ',' or '}'");
                }
            }
        }
        p.skipWhitespace();
        if (p.pos != line.length()) {
            throw p.error("unexpected text after the object");
        }
        return fields;
    }

    private Object readScalar() {
        char c = peek();
        if (c == '"') {
            return readString();
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return null;
        }
        return readNumber();
    }

    private Object readNumber() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String n = text.substring(start, pos);
        if (n.isEmpty()) {
            throw error("expected a value");
        }
        try {
            if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
                return Long.parseLong(n);
            }
            return Double.parseDouble(n);
        } catch (NumberFormatException e) {
            throw error("invalid number '" + n + "'");
        }
    }

    private String readString() {
        expect('"');
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            char c = next();
            if (c == '"') {
                return sb == null ? text.substring(start, pos - 1) : sb.toString();
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder(text.substring(start, pos - 1));
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("invalid \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("invalid escape '\\" + e + "'");
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
    }

    /** Skips an object or array, minding strings (which may contain brackets). */
    private void skipNested() {
        int depth = 0;
        do {
            char c = peek();
            if (c == '"') {
                readString();
                continue;
            }
            pos++;
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        } while (depth > 0);
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of line");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String reason) {
        return new IllegalArgumentException("column " + (pos + 1) + ": " + reason);
    }
}
