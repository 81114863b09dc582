package org.deeptrace.protocol.http1.internal;

import org.deeptrace.api.protocol.TraceContext;

/**
 * What the start line and header section of one message say: the contract fields, and how the body is framed.
 *
 * @param method request method, {@code null} for responses
 * @param target request target as sent, {@code null} for responses
 * @param version {@code 1.0} or {@code 1.1}
 * @param status response status code, 0 for requests
 * @param reason response reason phrase, {@code null} when empty or for requests
 * @param contentLength the Content-Length, or -1 without one
 * @param chunked the final transfer coding is {@code chunked}
 * @param otherCoding a Transfer-Encoding other than chunked ends the list (body runs to the close)
 * @param upgrade the request asks to switch protocols ({@code Upgrade} header)
 */
record MessageHead(
        String method,
        String target,
        String version,
        int status,
        String reason,
        String host,
        long contentLength,
        boolean chunked,
        boolean otherCoding,
        boolean upgrade,
        TraceContext trace,
        String xRequestId) {

    boolean isRequest() {
        return method != null;
    }

    boolean isInformational() {
        return status >= 100 && status < 200;
    }
}
