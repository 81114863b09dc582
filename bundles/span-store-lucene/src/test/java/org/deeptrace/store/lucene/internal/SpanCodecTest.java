package org.deeptrace.store.lucene.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.lucene.util.BytesRef;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.testkit.spans.VariedTraces;
import org.junit.jupiter.api.Test;

class SpanCodecTest {

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        for (Span s : new VariedTraces(7).traces(50, 1_700_000_000_000_000_000L)) {
            assertEquals(s, SpanCodec.decode(SpanCodec.encode(s)));
        }
    }

    @Test
    void absentOptionalFieldsStayAbsent() {
        Span bare = new Span("0000000000000001", null, null, SpanKind.CLIENT, null, 0, 0, null, "DNS", null,
                "1.2.3.4:5", "[::1]:53", -5, 10, 0, 0, null, null, null, null, null, null, null, null);
        assertEquals(bare, SpanCodec.decode(SpanCodec.encode(bare)));
    }

    @Test
    void unknownBytesAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpanCodec.decode(new BytesRef(new byte[] {9, 0})));
        assertEquals("corrupt stored span: java.lang.IllegalArgumentException: stored span of unknown format 9",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpanCodec.decode(new BytesRef(new byte[] {1, 0})));
    }
}
