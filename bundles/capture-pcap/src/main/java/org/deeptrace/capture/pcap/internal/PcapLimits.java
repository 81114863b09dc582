package org.deeptrace.capture.pcap.internal;

/** Bounds that keep a damaged file from making the reader allocate without limit. */
final class PcapLimits {
    /** Largest frame accepted (libpcap's own maximum snap length is 256 KiB; some tools write up to this). */
    static final int MAX_FRAME = 16 << 20;
    /** Largest pcapng block accepted. */
    static final int MAX_BLOCK = MAX_FRAME + 4096;

    private PcapLimits() {
    }
}
