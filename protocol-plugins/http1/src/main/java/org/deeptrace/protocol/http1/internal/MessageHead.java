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
 * @param upgrade the {@code Upgrade} header's value (protocols asked for, or switched to by a 101), or null
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
        String upgrade,
        TraceContext trace,
        String xRequestId) {

    boolean isRequest() {
        return method != null;
    }

    /** Whether the {@code Upgrade} header lists {@code protocol} (a token such as {@code h2c}, any version). */
    boolean upgradesTo(String protocol) {
        if (upgrade == null) {
            return false;
        }
        for (String token : upgrade.split(",")) {
            String t = token.trim();
            int slash = t.indexOf('/');
            if ((slash < 0 ? t : t.substring(0, slash)).trim().equalsIgnoreCase(protocol)) {
                return true;
            }
        }
        return false;
    }

    boolean isInformational() {
        return status >= 100 && status < 200;
    }
}
