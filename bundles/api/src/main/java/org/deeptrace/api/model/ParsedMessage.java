package org.deeptrace.api.model;

import java.util.Objects;

/**
 * What a protocol parser knows about one message: the protocol-level fields of contract section 2.
 * Where it was seen (time, addresses) is added by the pipeline, giving an {@link L7Message}.
 *
 * <p>Build with {@link #builder(String, MessageType, long)}; absent optional fields are {@code null}.
 *
 * @param requestId the protocol's own correlation id: a {@link Long} or a {@link String}
 * @param expectsResponse false for one-way requests (no span waits for their response)
 * @param size bytes of the whole message on the wire
 */
public record ParsedMessage(
        String protocol,
        MessageType type,
        String version,
        String requestType,
        String requestDomain,
        String requestResource,
        String endpoint,
        Object requestId,
        ResponseStatus responseStatus,
        Integer responseCode,
        String responseException,
        String traceId,
        String spanId,
        String xRequestId,
        long size,
        boolean expectsResponse) {

    public ParsedMessage {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(type, "type");
        if (requestId != null && !(requestId instanceof Long) && !(requestId instanceof String)) {
            throw new IllegalArgumentException("request_id must be a Long or a String, not " + requestId.getClass());
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }

    public static Builder builder(String protocol, MessageType type, long size) {
        return new Builder(protocol, type, size);
    }

    public Builder toBuilder() {
        return new Builder(protocol, type, size)
                .version(version)
                .requestType(requestType)
                .requestDomain(requestDomain)
                .requestResource(requestResource)
                .endpoint(endpoint)
                .requestId(requestId)
                .responseStatus(responseStatus)
                .responseCode(responseCode)
                .responseException(responseException)
                .traceId(traceId)
                .spanId(spanId)
                .xRequestId(xRequestId)
                .expectsResponse(expectsResponse);
    }

    /** Mutable helper for the record's many optional fields. */
    public static final class Builder {
        private final String protocol;
        private final MessageType type;
        private long size;
        private String version;
        private String requestType;
        private String requestDomain;
        private String requestResource;
        private String endpoint;
        private Object requestId;
        private ResponseStatus responseStatus;
        private Integer responseCode;
        private String responseException;
        private String traceId;
        private String spanId;
        private String xRequestId;
        private boolean expectsResponse = true;

        private Builder(String protocol, MessageType type, long size) {
            this.protocol = protocol;
            this.type = type;
            this.size = size;
        }

        public Builder size(long size) { this.size = size; return this; }
        public Builder version(String v) { this.version = v; return this; }
        public Builder requestType(String v) { this.requestType = v; return this; }
        public Builder requestDomain(String v) { this.requestDomain = v; return this; }
        public Builder requestResource(String v) { this.requestResource = v; return this; }
        public Builder endpoint(String v) { this.endpoint = v; return this; }
        public Builder requestId(Object v) { this.requestId = v; return this; }
        public Builder requestId(long v) { this.requestId = v; return this; }
        public Builder responseStatus(ResponseStatus v) { this.responseStatus = v; return this; }
        public Builder responseCode(Integer v) { this.responseCode = v; return this; }
        public Builder responseException(String v) { this.responseException = v; return this; }
        public Builder traceId(String v) { this.traceId = v; return this; }
        public Builder spanId(String v) { this.spanId = v; return this; }
        public Builder xRequestId(String v) { this.xRequestId = v; return this; }
        public Builder expectsResponse(boolean v) { this.expectsResponse = v; return this; }

        public ParsedMessage build() {
            return new ParsedMessage(protocol, type, version, requestType, requestDomain, requestResource, endpoint,
                    requestId, responseStatus, responseCode, responseException, traceId, spanId, xRequestId, size,
                    expectsResponse);
        }
    }
}
