package org.deeptrace.protocol.brpc.internal;

import java.nio.charset.StandardCharsets;

/**
 * The fields of baidu_std's {@code RpcMeta} the records use. Field numbers (brpc's {@code baidu_rpc_meta.proto},
 * the same in brpc-java): RpcMeta {request = 1, response = 2, compress_type = 3, correlation_id = 4,
 * attachment_size = 5}; RpcRequestMeta {service_name = 1, method_name = 2, log_id = 3, trace_id = 4,
 * span_id = 5, parent_span_id = 6, 7 = request_id (brpc, a string) or ext_fields (brpc-java, key/value
 * messages)}; RpcResponseMeta {error_code = 1, error_text = 2}. Everything else is skipped.
 */
final class RpcMeta {
    static final int MAX_NAME = 256;
    static final int MAX_ERROR_TEXT = 512;

    boolean request;
    boolean response;
    String serviceName;
    String methodName;
    long logId;
    long traceId;
    long spanId;
    String requestIdText;
    boolean hasCorrelationId;
    long correlationId;
    int errorCode;
    String errorText;
    /** The meta's bytes ended (cut by a gap or by the size limit) before all fields were read. */
    boolean partial;

    /**
     * Decodes {@code [from, to)}. When {@code complete} is false the range is only a prefix of the meta: a field
     * running past its end is not an error, the fields read so far are kept.
     *
     * @return the meta, or {@code null} when the bytes are not a valid RpcMeta
     */
    static RpcMeta decode(byte[] bytes, int from, int to, boolean complete) {
        RpcMeta meta = new RpcMeta();
        try {
            ProtoReader r = new ProtoReader(bytes, from, to);
            while (r.hasMore()) {
                int tag = r.tag();
                switch (tag) {
                    case 1 << 3 | ProtoReader.LENGTH_DELIMITED -> {
                        meta.request = true;
                        meta.readRequest(r.nested());
                    }
                    case 2 << 3 | ProtoReader.LENGTH_DELIMITED -> {
                        meta.response = true;
                        meta.readResponse(r.nested());
                    }
                    case 4 << 3 | ProtoReader.VARINT -> {
                        meta.hasCorrelationId = true;
                        meta.correlationId = r.varint();
                    }
                    default -> r.skip(tag & 7);
                }
            }
        } catch (ProtoReader.BadProtobuf e) {
            return null;
        } catch (ProtoReader.Truncated e) {
            if (complete) {
                return null;
            }
            meta.partial = true;
        }
        return meta;
    }

    private void readRequest(ProtoReader r) throws ProtoReader.BadProtobuf, ProtoReader.Truncated {
        while (r.hasMore()) {
            int tag = r.tag();
            switch (tag) {
                case 1 << 3 | ProtoReader.LENGTH_DELIMITED -> serviceName = r.string(MAX_NAME);
                case 2 << 3 | ProtoReader.LENGTH_DELIMITED -> methodName = r.string(MAX_NAME);
                case 3 << 3 | ProtoReader.VARINT -> logId = r.varint();
                case 4 << 3 | ProtoReader.VARINT -> traceId = r.varint();
                case 5 << 3 | ProtoReader.VARINT -> spanId = r.varint();
                case 7 << 3 | ProtoReader.LENGTH_DELIMITED -> readField7(r.nested());
                default -> r.skip(tag & 7);
            }
        }
    }

    /**
     * brpc's {@code string request_id = 7} and brpc-java's {@code repeated ExtField ext_fields = 7} share a number.
     * An ExtField ({@code key = 1, value = 2}) whose key is {@code x-request-id} gives the request id; any other
     * bytes that do not parse as an ExtField are taken as brpc's request id string when they are printable.
     */
    private void readField7(ProtoReader field) {
        ProtoReader copy = field.copy();
        String key = null;
        String value = null;
        boolean extField = true;
        try {
            while (field.hasMore()) {
                int tag = field.tag();
                if (tag == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) {
                    key = field.string(MAX_NAME);
                } else if (tag == (2 << 3 | ProtoReader.LENGTH_DELIMITED)) {
                    value = field.string(MAX_NAME);
                } else {
                    extField = false;
                    break;
                }
            }
        } catch (ProtoReader.BadProtobuf | ProtoReader.Truncated e) {
            extField = false;
        }
        if (extField && key != null) {
            if (key.equalsIgnoreCase("x-request-id") && value != null && requestIdText == null) {
                requestIdText = value;
            }
            return;
        }
        byte[] text = copy.remaining(MAX_NAME);
        for (byte b : text) {
            if (b < 0x20 || b > 0x7E) {
                return;
            }
        }
        if (text.length > 0 && requestIdText == null) {
            requestIdText = new String(text, StandardCharsets.US_ASCII);
        }
    }

    private void readResponse(ProtoReader r) throws ProtoReader.BadProtobuf, ProtoReader.Truncated {
        while (r.hasMore()) {
            int tag = r.tag();
            switch (tag) {
                case 1 << 3 | ProtoReader.VARINT -> errorCode = (int) r.varint();
                case 2 << 3 | ProtoReader.LENGTH_DELIMITED -> errorText = r.string(MAX_ERROR_TEXT);
                default -> r.skip(tag & 7);
            }
        }
    }
}
