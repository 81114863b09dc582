package org.deeptrace.api.codec;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.Span;

/** Writes the contract's records as single JSON lines, with exactly the contract's field names. */
public final class RecordJson {

    private RecordJson() {
    }

    /** Contract section 1. */
    public static String captureRecord(CaptureRecord r) {
        StringBuilder sb = new StringBuilder(256 + r.capturedSize() * 4 / 3);
        JsonWriter w = new JsonWriter(sb).field("ts_ns", r.tsNs());
        if (r.hasEnterNs()) {
            w.field("enter_ns", r.enterNs());
        }
        w.field("tgid", r.tgid()).field("tid", r.tid()).field("comm", r.comm()).field("fd", r.fd())
                .field("syscall", r.syscall()).field("direction", r.direction().wireName())
                .field("l4", r.l4().wireName()).field("local", r.local()).field("remote", r.remote());
        if (r.hasTcpSeq()) {
            w.field("tcp_seq", r.tcpSeq());
        }
        ByteBuffer payload = r.payload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        w.field("size", r.size()).field("payload_b64", Base64.getEncoder().encodeToString(bytes))
                .field("truncated", r.truncated()).end();
        return sb.toString();
    }

    /** Contract section 2. */
    public static String message(L7Message m) {
        StringBuilder sb = new StringBuilder(384);
        ParsedMessage p = m.parsed();
        JsonWriter w = new JsonWriter(sb).field("ts_ns", m.tsNs()).field("src", m.src()).field("dst", m.dst())
                .field("l4", m.l4().wireName()).field("protocol", p.protocol()).field("type", p.type().wireName())
                .field("version", p.version()).field("request_type", p.requestType())
                .field("request_domain", p.requestDomain()).field("request_resource", p.requestResource())
                .field("endpoint", p.endpoint()).scalar("request_id", p.requestId());
        if (p.responseStatus() != null) {
            w.field("response_status", p.responseStatus().wireName());
        }
        w.field("response_code", p.responseCode()).field("response_exception", p.responseException())
                .field("trace_id", p.traceId()).field("span_id", p.spanId()).field("x_request_id", p.xRequestId())
                .field("size", p.size()).end();
        return sb.toString();
    }

    /** Contract section 3. Every field of the contract's table is present; absent values are written as null. */
    public static String span(Span s) {
        StringBuilder sb = new StringBuilder(512);
        JsonWriter w = new JsonWriter(sb).field("span_id", s.spanId()).nullableField("parent_span_id", s.parentSpanId())
                .nullableField("trace_id", s.traceId()).field("kind", s.kind().wireName()).field("host", s.host())
                .field("tgid", s.tgid()).field("tid", s.tid()).field("comm", s.comm()).field("protocol", s.protocol())
                .field("l4", s.l4() == null ? null : s.l4().wireName())
                .field("local", s.local()).field("remote", s.remote()).field("start_ns", s.startNs())
                .field("end_ns", s.endNs()).field("req_size", s.reqSize()).field("resp_size", s.respSize())
                .nullableField("endpoint", s.endpoint()).nullableField("request_type", s.requestType())
                .nullableField("request_resource", s.requestResource())
                .nullableField("response_status", s.responseStatus() == null ? null : s.responseStatus().wireName())
                .nullableField("response_code", s.responseCode()).nullableField("trace_id_header", s.traceIdHeader())
                .nullableField("x_request_id", s.xRequestId());
        Correlation c = s.correlation();
        if (c != null) {
            w.object("correlation").field("algorithm", c.algorithm()).field("score", c.score())
                    .field("candidates", c.candidates()).end();
        }
        w.end();
        return sb.toString();
    }
}
