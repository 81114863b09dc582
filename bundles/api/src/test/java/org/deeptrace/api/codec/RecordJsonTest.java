package org.deeptrace.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

/** The exact bytes of each record: field names, order, null versus absent, escaping. */
class RecordJsonTest {

    @Test
    void captureRecord() {
        CaptureRecord r = new CaptureRecord(10, CaptureRecord.ABSENT, 1, 2, "svc", 3, "read", Direction.INGRESS,
                Transport.TCP, "1.1.1.1:80", "[::1]:9", 7, 8, ByteBuffer.wrap("GET ".getBytes(StandardCharsets.US_ASCII)), true);
        assertEquals("{\"ts_ns\":10,\"tgid\":1,\"tid\":2,\"comm\":\"svc\",\"fd\":3,\"syscall\":\"read\",\"direction\":\"ingress\","
                + "\"l4\":\"tcp\",\"local\":\"1.1.1.1:80\",\"remote\":\"[::1]:9\",\"tcp_seq\":7,\"size\":8,"
                + "\"payload_b64\":\"R0VUIA==\",\"truncated\":true}", RecordJson.captureRecord(r));
    }

    @Test
    void messageOmitsAbsentOptionalFieldsAndWritesNumericIdsAsNumbers() {
        ParsedMessage p = ParsedMessage.builder("HTTP2", MessageType.RESPONSE, 42).requestId(3L).responseCode(404)
                .responseStatus(ResponseStatus.CLIENT_ERROR).responseException("Not \"Found\"\n").build();
        assertEquals("{\"ts_ns\":5,\"src\":\"a:1\",\"dst\":\"b:2\",\"l4\":\"tcp\",\"protocol\":\"HTTP2\",\"type\":\"response\","
                + "\"request_id\":3,\"response_status\":\"client_error\",\"response_code\":404,"
                + "\"response_exception\":\"Not \\\"Found\\\"\\n\",\"size\":42}",
                RecordJson.message(new L7Message(5, "a:1", "b:2", Transport.TCP, p)));
    }

    @Test
    void spanHasEveryContractFieldWithNullForAbsentValues() {
        Span s = new Span("00000000000000ab", null, null, SpanKind.CLIENT, "h", 1, 2, "c\u0001", "HTTP1", Transport.TCP,
                "l:1", "r:2", 10, 20, 30, 0, null, "GET", null, ResponseStatus.UNKNOWN, null, null, null,
                new Correlation("fifo", 0.5, 2));
        assertEquals("{\"span_id\":\"00000000000000ab\",\"parent_span_id\":null,\"trace_id\":null,\"kind\":\"client\","
                + "\"host\":\"h\",\"tgid\":1,\"tid\":2,\"comm\":\"c\\u0001\",\"protocol\":\"HTTP1\",\"l4\":\"tcp\",\"local\":\"l:1\","
                + "\"remote\":\"r:2\",\"start_ns\":10,\"end_ns\":20,\"req_size\":30,\"resp_size\":0,\"endpoint\":null,"
                + "\"request_type\":\"GET\",\"request_resource\":null,\"response_status\":\"unknown\",\"response_code\":null,"
                + "\"trace_id_header\":null,\"x_request_id\":null,"
                + "\"correlation\":{\"algorithm\":\"fifo\",\"score\":0.5,\"candidates\":2}}", RecordJson.span(s));
    }
}
