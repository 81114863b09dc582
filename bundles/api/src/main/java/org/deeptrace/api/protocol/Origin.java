package org.deeptrace.api.protocol;

/** Which end of a connection sent a run of bytes. */
public enum Origin {
    /** The end that sends requests. */
    CLIENT,
    /** The end that answers them. */
    SERVER;

    public Origin opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
