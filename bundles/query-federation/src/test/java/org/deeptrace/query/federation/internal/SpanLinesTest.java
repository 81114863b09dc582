package org.deeptrace.query.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.Span;
import org.junit.jupiter.api.Test;

class SpanLinesTest {
    private static List<Span> read(String text) throws IOException {
        return SpanLines.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void readsBackWhatRecordJsonWrites() throws IOException {
        Span correlated = FederatedSpanStoreTest.CB.withParent("b000000000000001", new Correlation("deeptrace", 0.8125,
                3));
        List<Span> spans = List.of(FederatedSpanStoreTest.SA, correlated, FederatedSpanStoreTest.SC);
        StringBuilder lines = new StringBuilder();
        StringBuilder array = new StringBuilder("[");
        for (Span s : spans) {
            lines.append(RecordJson.span(s)).append('\n');
            array.append(array.length() > 1 ? "," : "").append(RecordJson.span(s));
        }
        assertEquals(spans, read(lines.toString()));
        assertEquals(spans, read(array.append(']').toString()));
        assertEquals(List.of(), read(""));
    }

    @Test
    void unknownFieldsAreSkippedAndAbsentOnesAreNull() throws IOException {
        Span s = read("{\"span_id\":\"00000000000000ab\",\"kind\":\"client\",\"protocol\":\"HTTP1\",\"local\":\"a:1\","
                + "\"remote\":\"b:2\",\"start_ns\":5,\"end_ns\":7,\"future\":{\"x\":[1,2]}}").get(0);
        assertEquals("00000000000000ab", s.spanId());
        assertEquals(2, s.durationNs());
        assertEquals(null, s.traceId());
        assertEquals(null, s.l4());
    }

    @Test
    void malformedRecordsNameTheSourceAndTheRecord() {
        IOException e = assertThrows(IOException.class, () -> read(RecordJson.span(FederatedSpanStoreTest.SA)
                + "\n{\"span_id\":\"1\",\"kind\":\"sideways\",\"protocol\":\"x\",\"local\":\"a\",\"remote\":\"b\"}"));
        assertTrue(e.getMessage().startsWith("test: span record 2"), e.getMessage());
        assertThrows(IOException.class, () -> read("{\"span_id\":\"1\",\"kind\":\"client\"}"), "no local");
        assertThrows(IOException.class, () -> read("42"));
        assertThrows(IOException.class, () -> read("{\"span_id\":"));
    }
}
