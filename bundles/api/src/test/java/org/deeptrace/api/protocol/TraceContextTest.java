package org.deeptrace.api.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void traceparent() {
        assertEquals(new TraceContext(TRACE, SPAN), TraceContext.fromTraceparent("00-" + TRACE + "-" + SPAN + "-01"));
        assertEquals(new TraceContext(TRACE, SPAN),
                TraceContext.fromTraceparent(" 00-" + TRACE.toUpperCase() + "-" + SPAN + "-00 "));
        // A later version may append fields; version ff and all-zero ids are invalid.
        assertEquals(new TraceContext(TRACE, SPAN), TraceContext.fromTraceparent("01-" + TRACE + "-" + SPAN + "-01-x"));
        assertNull(TraceContext.fromTraceparent("00-" + TRACE + "-" + SPAN + "-01-x"));
        assertNull(TraceContext.fromTraceparent("ff-" + TRACE + "-" + SPAN + "-01"));
        assertNull(TraceContext.fromTraceparent("00-" + "0".repeat(32) + "-" + SPAN + "-01"));
        assertNull(TraceContext.fromTraceparent("00-" + TRACE + "-" + "0".repeat(16) + "-01"));
        assertNull(TraceContext.fromTraceparent("00-" + TRACE.substring(1) + "-" + SPAN + "-01"));
        assertNull(TraceContext.fromTraceparent("00-" + TRACE + "-" + SPAN.replace('a', 'g') + "-01"));
        assertNull(TraceContext.fromTraceparent(""));
    }

    @Test
    void b3MultiAndSingle() {
        assertEquals(new TraceContext(TRACE, SPAN), TraceContext.fromB3Multi(TRACE, SPAN));
        assertEquals(new TraceContext("a3ce929d0e0e4736", null), TraceContext.fromB3Multi("A3CE929D0E0E4736", null));
        assertNull(TraceContext.fromB3Multi("abc", SPAN));
        assertEquals(new TraceContext(TRACE, SPAN), TraceContext.fromB3Single(TRACE + "-" + SPAN + "-1-05e3ac9a4f6e3b90"));
        assertEquals(new TraceContext(TRACE, SPAN), TraceContext.fromB3Single(TRACE + "-" + SPAN));
        assertNull(TraceContext.fromB3Single("1"), "a sampling decision alone");
        assertNull(TraceContext.fromB3Single(TRACE + "-zz"));
    }

    @Test
    void uberTraceId() {
        assertEquals(new TraceContext("5b8aa5a2d2c872e8", "51a7e9a2f6ba2c3d"),
                TraceContext.fromUber("5b8aa5a2d2c872e8:51a7e9a2f6ba2c3d:0:1"));
        assertEquals(new TraceContext("abc", "de"), TraceContext.fromUber("abc%3Ade%3A0%3A1"));
        assertNull(TraceContext.fromUber("0:51a7e9a2f6ba2c3d:0:1"));
        assertNull(TraceContext.fromUber("5b8aa5a2d2c872e8:51a7e9a2f6ba2c3d:0"));
    }

    @Test
    void skyWalkingSw8() {
        // 1-base64("a123.b456.c789")-base64("segment-1")-3-service-instance-endpoint-target
        String sw8 = "1-YTEyMy5iNDU2LmM3ODk=-c2VnbWVudC0x-3-c2VydmljZQ==-aW5zdGFuY2U=-L2FwaQ==-MTI3LjAuMC4xOjE4MDgw";
        assertEquals(new TraceContext("a123.b456.c789", "segment-1-3"), TraceContext.fromSw8(sw8));
        assertNull(TraceContext.fromSw8("1-!!!-c2VnbWVudC0x-3-a-b-c-d"));
        assertNull(TraceContext.fromSw8("1-YTEyMy5iNDU2LmM3ODk=-c2VnbWVudC0x-x-a-b-c-d"));
        assertNull(TraceContext.fromSw8("1-YTEy"));
    }

    @Test
    void theFirstValidHeaderWinsInTheDocumentedOrder() {
        String tp = "00-" + TRACE + "-" + SPAN + "-01";
        String uber = "5b8aa5a2d2c872e8:51a7e9a2f6ba2c3d:0:1";
        assertEquals(TRACE, TraceContext.resolve(tp, "80f198ee56343ba8", null, null, uber, null).traceId());
        assertEquals("80f198ee56343ba8",
                TraceContext.resolve("garbage", "80f198ee56343ba8", null, null, uber, null).traceId());
        assertEquals("5b8aa5a2d2c872e8", TraceContext.resolve(null, null, null, "0", uber, null).traceId());
        assertNull(TraceContext.resolve(null, null, null, null, null, null));
    }
}
