package org.deeptrace.capture.pcap.internal;

import org.deeptrace.api.model.Transport;

/**
 * A TCP segment or UDP datagram decoded from a frame.
 *
 * @param src sender {@code ip:port}
 * @param dst receiver {@code ip:port}
 * @param seq TCP sequence number of the first payload byte, or -1 for UDP
 * @param syn whether the TCP SYN flag is set
 * @param ack whether the TCP ACK flag is set
 * @param payloadFrom index of the first payload byte in the frame's data
 * @param capturedPayload payload bytes present in the frame
 * @param payloadLength payload bytes on the wire (from the IP and transport headers)
 */
record Packet(Transport l4, String src, int srcPort, String dst, int dstPort, long seq, boolean syn, boolean ack,
        int payloadFrom, int capturedPayload, int payloadLength) {
}
