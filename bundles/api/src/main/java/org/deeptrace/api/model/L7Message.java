package org.deeptrace.api.model;

import java.util.Objects;

/**
 * One parsed request, response or session message (contract section 2): the parser's fields plus where and
 * when the message was seen.
 *
 * @param tsNs timestamp of the capture record that carried the message's first byte
 * @param src sender {@code ip:port}
 * @param dst receiver {@code ip:port}
 */
public record L7Message(long tsNs, String src, String dst, Transport l4, ParsedMessage parsed) {
    public L7Message {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(l4, "l4");
        Objects.requireNonNull(parsed, "parsed");
    }
}
