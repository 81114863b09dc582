package org.deeptrace.api.model;

/** Which way the bytes of a syscall went, seen from the traced process. */
public enum Direction {
    /** Data read by the process. */
    INGRESS("ingress"),
    /** Data written by the process. */
    EGRESS("egress");

    private final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the records, {@code ingress} or {@code egress}. */
    public String wireName() {
        return wireName;
    }

    public Direction opposite() {
        return this == INGRESS ? EGRESS : INGRESS;
    }

    /** Parses a record's name; case-insensitive so the original agent's {@code Ingress} is accepted too. */
    public static Direction fromWireName(String name) {
        for (Direction d : values()) {
            if (d.wireName.equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("direction must be 'ingress' or 'egress', not '" + name + "'");
    }
}
