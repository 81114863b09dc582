package org.deeptrace.api.model;

/** What an L7 message is within its exchange. */
public enum MessageType {
    REQUEST("request"),
    RESPONSE("response"),
    /** Handshakes, logins, keep-alives, informational responses: part of neither side of an exchange. */
    SESSION("session");

    private final String wireName;

    MessageType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
