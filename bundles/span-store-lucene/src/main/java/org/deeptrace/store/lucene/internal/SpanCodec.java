package org.deeptrace.store.lucene.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.DataOutput;
import org.apache.lucene.util.BytesRef;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;

/**
 * A span as the bytes of one stored field: a format byte, a presence mask of the optional fields, then the fields
 * with variable-length numbers. Smaller and much faster to read back than the JSON record, and the stored-fields
 * compression (DEFLATE across neighbouring spans) removes what repeats between spans.
 */
final class SpanCodec {
    static final byte FORMAT = 1;

    private static final int PARENT = 1;
    private static final int TRACE = 1 << 1;
    private static final int HOST = 1 << 2;
    private static final int COMM = 1 << 3;
    private static final int L4 = 1 << 4;
    private static final int ENDPOINT = 1 << 5;
    private static final int REQUEST_TYPE = 1 << 6;
    private static final int RESOURCE = 1 << 7;
    private static final int STATUS = 1 << 8;
    private static final int CODE = 1 << 9;
    private static final int TRACE_HEADER = 1 << 10;
    private static final int X_REQUEST_ID = 1 << 11;
    private static final int CORRELATION = 1 << 12;

    private SpanCodec() {
    }

    static BytesRef encode(Span s) {
        ByteBuffersDataOutput out = new ByteBuffersDataOutput(256);
        try {
            out.writeByte(FORMAT);
            int mask = (s.parentSpanId() != null ? PARENT : 0) | (s.traceId() != null ? TRACE : 0)
                    | (s.host() != null ? HOST : 0) | (s.comm() != null ? COMM : 0) | (s.l4() != null ? L4 : 0)
                    | (s.endpoint() != null ? ENDPOINT : 0) | (s.requestType() != null ? REQUEST_TYPE : 0)
                    | (s.requestResource() != null ? RESOURCE : 0) | (s.responseStatus() != null ? STATUS : 0)
                    | (s.responseCode() != null ? CODE : 0) | (s.traceIdHeader() != null ? TRACE_HEADER : 0)
                    | (s.xRequestId() != null ? X_REQUEST_ID : 0) | (s.correlation() != null ? CORRELATION : 0);
            out.writeVInt(mask);
            out.writeString(s.spanId());
            optional(out, s.parentSpanId());
            optional(out, s.traceId());
            out.writeByte((byte) s.kind().ordinal());
            optional(out, s.host());
            out.writeZInt(s.tgid());
            out.writeZInt(s.tid());
            optional(out, s.comm());
            out.writeString(s.protocol());
            if (s.l4() != null) {
                out.writeByte((byte) s.l4().ordinal());
            }
            out.writeString(s.local());
            out.writeString(s.remote());
            out.writeZLong(s.startNs());
            out.writeVLong(s.endNs() - s.startNs());
            out.writeZLong(s.reqSize());
            out.writeZLong(s.respSize());
            optional(out, s.endpoint());
            optional(out, s.requestType());
            optional(out, s.requestResource());
            if (s.responseStatus() != null) {
                out.writeByte((byte) s.responseStatus().ordinal());
            }
            if (s.responseCode() != null) {
                out.writeZInt(s.responseCode());
            }
            optional(out, s.traceIdHeader());
            optional(out, s.xRequestId());
            Correlation c = s.correlation();
            if (c != null) {
                out.writeString(c.algorithm());
                out.writeLong(Double.doubleToLongBits(c.score()));
                out.writeZInt(c.candidates());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory output cannot fail", e);
        }
        return new BytesRef(out.toArrayCopy());
    }

    /** @throws IllegalArgumentException when the bytes are not a span of a format this version reads */
    static Span decode(BytesRef bytes) {
        ByteArrayDataInput in = new ByteArrayDataInput(bytes.bytes, bytes.offset, bytes.length);
        try {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("stored span of unknown format " + format);
            }
            int mask = in.readVInt();
            String spanId = in.readString();
            String parent = optional(in, mask, PARENT);
            String trace = optional(in, mask, TRACE);
            SpanKind kind = SpanKind.values()[in.readByte()];
            String host = optional(in, mask, HOST);
            int tgid = in.readZInt();
            int tid = in.readZInt();
            String comm = optional(in, mask, COMM);
            String protocol = in.readString();
            Transport l4 = (mask & L4) != 0 ? Transport.values()[in.readByte()] : null;
            String local = in.readString();
            String remote = in.readString();
            long start = in.readZLong();
            long end = start + in.readVLong();
            long reqSize = in.readZLong();
            long respSize = in.readZLong();
            String endpoint = optional(in, mask, ENDPOINT);
            String requestType = optional(in, mask, REQUEST_TYPE);
            String resource = optional(in, mask, RESOURCE);
            ResponseStatus status = (mask & STATUS) != 0 ? ResponseStatus.values()[in.readByte()] : null;
            Integer code = (mask & CODE) != 0 ? in.readZInt() : null;
            String traceHeader = optional(in, mask, TRACE_HEADER);
            String xRequestId = optional(in, mask, X_REQUEST_ID);
            Correlation correlation = null;
            if ((mask & CORRELATION) != 0) {
                correlation = new Correlation(in.readString(), Double.longBitsToDouble(in.readLong()), in.readZInt());
            }
            return new Span(spanId, parent, trace, kind, host, tgid, tid, comm, protocol, l4, local, remote, start, end,
                    reqSize, respSize, endpoint, requestType, resource, status, code, traceHeader, xRequestId,
                    correlation);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt stored span: " + e, e);
        }
    }

    private static void optional(DataOutput out, String value) throws IOException {
        if (value != null) {
            out.writeString(value);
        }
    }

    private static String optional(DataInput in, int mask, int bit) throws IOException {
        return (mask & bit) != 0 ? in.readString() : null;
    }
}
