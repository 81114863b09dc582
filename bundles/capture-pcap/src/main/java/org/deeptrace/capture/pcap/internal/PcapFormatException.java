package org.deeptrace.capture.pcap.internal;

/** The file's structure is broken at a known place: nothing after it can be trusted. */
final class PcapFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long position;

    PcapFormatException(long position, String reason) {
        super(reason);
        this.position = position;
    }

    /** Byte offset in the (decompressed) file where the problem was found. */
    long position() {
        return position;
    }
}
