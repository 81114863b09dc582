package org.deeptrace.capture.pcap.internal;

import java.io.IOException;

/**
 * The classic libpcap format: a 24-byte file header, then a 16-byte header per frame. Either byte order; the
 * magic number also says whether timestamps count microseconds or nanoseconds.
 */
final class ClassicPcapReader implements FrameReader {
    private static final long MAGIC_MICROS = 0xa1b2c3d4L;
    private static final long MAGIC_NANOS = 0xa1b23c4dL;

    private final ByteSource in;
    private final boolean bigEndian;
    private final boolean nanos;
    private final int linkType;
    private final byte[] header = new byte[24];
    private byte[] data = new byte[2048];
    private long frames;

    ClassicPcapReader(ByteSource in) throws IOException, PcapFormatException {
        this.in = in;
        if (!in.readFully(header, 24)) {
            throw new PcapFormatException(0, "file too short for a pcap header");
        }
        long be = ByteSource.u32(header, 0, true);
        long le = ByteSource.u32(header, 0, false);
        if (be == MAGIC_MICROS || be == MAGIC_NANOS) {
            bigEndian = true;
            nanos = be == MAGIC_NANOS;
        } else if (le == MAGIC_MICROS || le == MAGIC_NANOS) {
            bigEndian = false;
            nanos = le == MAGIC_NANOS;
        } else {
            throw new PcapFormatException(0, "not a pcap file");
        }
        // The upper 16 bits of the link type field may carry FCS information (pcap-linktype(7)).
        linkType = (int) (ByteSource.u32(header, 20, bigEndian) & 0xffff);
    }

    static boolean isPcap(byte[] magic) {
        long be = ByteSource.u32(magic, 0, true);
        long le = ByteSource.u32(magic, 0, false);
        return be == MAGIC_MICROS || be == MAGIC_NANOS || le == MAGIC_MICROS || le == MAGIC_NANOS;
    }

    @Override
    public Frame next() throws IOException, PcapFormatException {
        long at = in.position();
        if (!in.readFully(header, 16)) {
            return null;
        }
        long seconds = ByteSource.u32(header, 0, bigEndian);
        long fraction = ByteSource.u32(header, 4, bigEndian);
        long captured = ByteSource.u32(header, 8, bigEndian);
        long original = ByteSource.u32(header, 12, bigEndian);
        if (captured > PcapLimits.MAX_FRAME) {
            throw new PcapFormatException(at, "frame " + (frames + 1) + " claims " + captured + " captured bytes");
        }
        if (data.length < captured) {
            data = new byte[(int) captured];
        }
        in.readExactly(data, (int) captured);
        frames++;
        long tsNs = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000L);
        int wire = (int) Math.min(Math.max(original, captured), Integer.MAX_VALUE);
        return new Frame(tsNs, linkType, data, (int) captured, wire);
    }

    @Override
    public long frameNumber() {
        return frames;
    }
}
