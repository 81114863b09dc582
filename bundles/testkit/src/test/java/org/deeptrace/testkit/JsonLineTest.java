package org.deeptrace.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    @Test
    void readsTopLevelScalars() {
        Map<String, Object> f = JsonLine.parseObject(
                " {\"a\": 12, \"b\":-3, \"c\":\"x\", \"d\":true, \"e\":false, \"f\":null, \"g\":1.5e3} ");
        assertEquals(12L, f.get("a"));
        assertEquals(-3L, f.get("b"));
        assertEquals("x", f.get("c"));
        assertEquals(Boolean.TRUE, f.get("d"));
        assertEquals(Boolean.FALSE, f.get("e"));
        assertTrue(f.containsKey("f"));
        assertNull(f.get("f"));
        assertEquals(1500.0, f.get("g"));
    }

    @Test
    void decodesEscapes() {
        Map<String, Object> f = JsonLine.parseObject("{\"s\":\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\u20ac\"}");
        assertEquals("a\"b\\c/d\n\té€", f.get("s"));
    }

    @Test
    void skipsNestedValuesIncludingBracketsInStrings() {
        Map<String, Object> f = JsonLine.parseObject(
                "{\"o\":{\"x\":[1,{\"y\":\"]}\"}]},\"after\":7,\"arr\":[],\"obj\":{}}");
        assertFalse(f.containsKey("o"));
        assertFalse(f.containsKey("arr"));
        assertEquals(7L, f.get("after"));
    }

    @Test
    void emptyObject() {
        assertTrue(JsonLine.parseObject("{}").isEmpty());
    }

    @Test
    void reportsTheColumnOfAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonLine.parseObject("{\"a\":1 \"b\":2}"));
        assertEquals("column 8: expected ',' or '}'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parseObject("[1]"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parseObject("{\"a\":\"unterminated}"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parseObject("{\"a\":1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parseObject("{\"a\":}"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parseObject("{\"a\":\"\\x\"}"));
    }
}
