package org.deeptrace.api.model;

/** The outcome of an exchange, in the unified L7 vocabulary. */
public enum ResponseStatus {
    OK("ok"),
    CLIENT_ERROR("client_error"),
    SERVER_ERROR("server_error"),
    ERROR("error"),
    /** No response was seen (timeout, reset, or lost capture). */
    UNKNOWN("unknown");

    private final String wireName;

    ResponseStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ResponseStatus fromWireName(String name) {
        for (ResponseStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown response_status '" + name + "'");
    }
}
