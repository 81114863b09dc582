package org.deeptrace.protocol.http1.internal;

import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;

/** Turns a parsed head into the contract's message fields (section 2). */
final class Http1Messages {

    static final String PROTOCOL = "HTTP1";

    private Http1Messages() {
    }

    static ParsedMessage toParsed(MessageHead h, long size) {
        MessageType type = h.isRequest() ? MessageType.REQUEST
                : h.isInformational() ? MessageType.SESSION : MessageType.RESPONSE;
        ParsedMessage.Builder m = ParsedMessage.builder(PROTOCOL, type, size)
                .version(h.version())
                .xRequestId(h.xRequestId());
        if (h.trace() != null) {
            m.traceId(h.trace().traceId()).spanId(h.trace().spanId());
        }
        if (h.isRequest()) {
            requestFields(m, h);
        } else {
            m.responseCode(h.status())
                    .responseStatus(statusOf(h.status()))
                    .responseException(h.status() >= 400 ? h.reason() : null)
                    .expectsResponse(false);
        }
        return m.build();
    }

    /** {@code request_status} in the unified vocabulary: below 400 the exchange worked. */
    static ResponseStatus statusOf(int code) {
        if (code < 400) {
            return ResponseStatus.OK;
        }
        if (code < 500) {
            return ResponseStatus.CLIENT_ERROR;
        }
        return code < 600 ? ResponseStatus.SERVER_ERROR : ResponseStatus.ERROR;
    }

    private static void requestFields(ParsedMessage.Builder m, MessageHead h) {
        String target = h.target();
        String domain = h.host();
        String resource = target;
        // Absolute form ("GET http://host/path HTTP/1.1", sent to proxies): the resource is the path part.
        int scheme = target.indexOf("://");
        if (scheme > 0 && (target.regionMatches(true, 0, "http", 0, scheme) || target.regionMatches(true, 0, "https", 0, scheme))) {
            int authorityStart = scheme + 3;
            int pathStart = authorityStart;
            while (pathStart < target.length() && target.charAt(pathStart) != '/' && target.charAt(pathStart) != '?') {
                pathStart++;
            }
            if (domain == null && pathStart > authorityStart) {
                domain = target.substring(authorityStart, pathStart);
            }
            resource = pathStart == target.length() ? "/"
                    : target.charAt(pathStart) == '?' ? "/" + target.substring(pathStart) : target.substring(pathStart);
        }
        int query = resource.indexOf('?');
        m.requestType(h.method())
                .requestDomain(domain)
                .requestResource(resource)
                .endpoint(query < 0 ? resource : resource.substring(0, query));
    }
}
