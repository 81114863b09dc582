package org.deeptrace.api.model;

/** Whether the traced process served the request or sent it. */
public enum SpanKind {
    /** The process received the request: an ingress span. */
    SERVER("server"),
    /** The process sent the request: an egress span. */
    CLIENT("client");

    private final String wireName;

    SpanKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SpanKind fromWireName(String name) {
        for (SpanKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind must be 'server' or 'client', not '" + name + "'");
    }
}
