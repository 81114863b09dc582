package org.deeptrace.protocol.dns.internal;

/**
 * The bytes of one DNS message, some of which may be known to be lost (payloads that went through a lossy text
 * conversion, see {@link LossyText}). Indexes are relative to the message's first byte (after the TCP length).
 */
final class DnsBytes {
    private final byte[] bytes;
    private final int from;
    private final int length;
    private final boolean[] unknown;

    DnsBytes(byte[] bytes, int from, int length, boolean[] unknown) {
        this.bytes = bytes;
        this.from = from;
        this.length = length;
        this.unknown = unknown;
    }

    static DnsBytes of(byte[] bytes, int from, int length) {
        return new DnsBytes(bytes, from, length, null);
    }

    int length() {
        return length;
    }

    int u8(int i) {
        return bytes[from + i] & 0xff;
    }

    int u16(int i) {
        return (u8(i) << 8) | u8(i + 1);
    }

    boolean unknown(int i) {
        return unknown != null && unknown[i];
    }

    boolean anyUnknown(int i, int n) {
        if (unknown == null) {
            return false;
        }
        for (int k = i; k < i + n && k < length; k++) {
            if (unknown[k]) {
                return true;
            }
        }
        return false;
    }

    boolean lossy() {
        return unknown != null;
    }
}
