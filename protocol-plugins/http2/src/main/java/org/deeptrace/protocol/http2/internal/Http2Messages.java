package org.deeptrace.protocol.http2.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.TraceContext;

/** Turns a stream half's headers into the contract's message fields (section 2). */
final class Http2Messages {

    static final String HTTP2 = "HTTP2";
    static final String GRPC = "gRPC";

    private Http2Messages() {
    }

    static boolean isGrpc(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "application/grpc", 0, 16);
    }

    static ParsedMessage request(StreamHalf h) {
        boolean grpc = isGrpc(h.header("content-type"));
        ParsedMessage.Builder m = ParsedMessage.builder(grpc ? GRPC : HTTP2, MessageType.REQUEST, h.size)
                .version("2")
                .requestId(h.streamId)
                .requestType(h.header(":method"))
                .requestDomain(h.header(":authority") != null ? h.header(":authority") : h.header("host"));
        String path = h.header(":path");
        if (path != null) {
            int q = path.indexOf('?');
            m.requestResource(path).endpoint(q < 0 ? path : path.substring(0, q));
        }
        traceFields(m, h);
        return m.build();
    }

    /** @param grpcRequest whether the request was gRPC (a gRPC error response may lack the content-type) */
    static ParsedMessage response(StreamHalf h, boolean grpcRequest) {
        boolean grpc = grpcRequest || isGrpc(h.header("content-type"));
        ParsedMessage.Builder m = ParsedMessage.builder(grpc ? GRPC : HTTP2, MessageType.RESPONSE, h.size)
                .version("2")
                .requestId(h.streamId)
                .expectsResponse(false);
        Integer status = parseInt(h.header(":status"));
        Integer grpcStatus = grpc ? parseInt(h.header("grpc-status")) : null;
        if (grpcStatus != null) {
            m.responseCode(grpcStatus).responseStatus(grpcStatusOf(grpcStatus));
            String message = h.header("grpc-message");
            if (grpcStatus != 0 && message != null) {
                m.responseException(percentDecode(message));
            }
        } else if (status != null) {
            m.responseCode(status).responseStatus(httpStatusOf(status));
        } else {
            m.responseStatus(ResponseStatus.UNKNOWN);
        }
        traceFields(m, h);
        return m.build();
    }

    static ResponseStatus httpStatusOf(int code) {
        if (code < 400) {
            return ResponseStatus.OK;
        }
        if (code < 500) {
            return ResponseStatus.CLIENT_ERROR;
        }
        return code < 600 ? ResponseStatus.SERVER_ERROR : ResponseStatus.ERROR;
    }

    /**
     * gRPC status codes: 0 OK; the caller's fault (client_error): CANCELLED 1, INVALID_ARGUMENT 3, NOT_FOUND 5,
     * ALREADY_EXISTS 6, PERMISSION_DENIED 7, FAILED_PRECONDITION 9, OUT_OF_RANGE 11, UNAUTHENTICATED 16; the
     * server's (server_error): UNKNOWN 2, DEADLINE_EXCEEDED 4, RESOURCE_EXHAUSTED 8, ABORTED 10,
     * UNIMPLEMENTED 12, INTERNAL 13, UNAVAILABLE 14, DATA_LOSS 15; other codes: error.
     */
    static ResponseStatus grpcStatusOf(int code) {
        return switch (code) {
            case 0 -> ResponseStatus.OK;
            case 1, 3, 5, 6, 7, 9, 11, 16 -> ResponseStatus.CLIENT_ERROR;
            case 2, 4, 8, 10, 12, 13, 14, 15 -> ResponseStatus.SERVER_ERROR;
            default -> ResponseStatus.ERROR;
        };
    }

    /** grpc-message is percent-encoded UTF-8; a bad escape is kept as is. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                out.write((byte) c); // header values are ISO-8859-1 text here
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void traceFields(ParsedMessage.Builder m, StreamHalf h) {
        TraceContext t = TraceContext.resolve(h.header("traceparent"), h.header("x-b3-traceid"),
                h.header("x-b3-spanid"), h.header("b3"), h.header("uber-trace-id"), h.header("sw8"));
        if (t != null) {
            m.traceId(t.traceId()).spanId(t.spanId());
        }
        m.xRequestId(h.header("x-request-id"));
    }

    private static Integer parseInt(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
