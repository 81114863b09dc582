package org.deeptrace.capture.pcap.internal;

import java.io.IOException;

/** Reads the frames of a capture file, one after the other. */
interface FrameReader {

    /** The next frame, or null at the end of the file. */
    Frame next() throws IOException, PcapFormatException;

    /** Frame number of the last frame returned (1-based), for error messages. */
    long frameNumber();

    /** Opens the reader matching the file's magic number. */
    static FrameReader open(ByteSource in) throws IOException, PcapFormatException {
        byte[] magic = in.peek(4);
        if (magic.length < 4) {
            throw new PcapFormatException(0, "file too short for a pcap header");
        }
        if (PcapNgReader.isPcapNg(magic)) {
            return new PcapNgReader(in);
        }
        if (ClassicPcapReader.isPcap(magic)) {
            return new ClassicPcapReader(in);
        }
        throw new PcapFormatException(0, "not a pcap or pcapng file (unknown magic number)");
    }
}
