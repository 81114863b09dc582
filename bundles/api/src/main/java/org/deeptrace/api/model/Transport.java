package org.deeptrace.api.model;

/** The layer-4 protocol of a socket. */
public enum Transport {
    TCP("tcp"),
    UDP("udp");

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the records, {@code tcp} or {@code udp}. */
    public String wireName() {
        return wireName;
    }

    public static Transport fromWireName(String name) {
        for (Transport t : values()) {
            if (t.wireName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("l4 must be 'tcp' or 'udp', not '" + name + "'");
    }
}
