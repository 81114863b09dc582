package org.deeptrace.capture.pcap.internal;

/**
 * One captured link-layer frame as the file stores it.
 *
 * @param tsNs capture time in nanoseconds since the epoch
 * @param linkType the LINKTYPE_* value of the interface that captured it
 * @param data the captured bytes ({@code capturedLength} of them from index 0); reused by the reader for the next
 *     frame, so valid only until then
 * @param originalLength length of the frame on the wire; more than {@code capturedLength} when the snap length cut it
 */
record Frame(long tsNs, int linkType, byte[] data, int capturedLength, int originalLength) {
}
