package org.deeptrace.capture.pcap.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The pcapng format: section header, interface description, enhanced and simple packet blocks (and the obsolete
 * packet block). Each section has its own byte order and interfaces; each interface its own link type, snap
 * length, timestamp resolution ({@code if_tsresol}) and offset ({@code if_tsoffset}). Other blocks are skipped.
 */
final class PcapNgReader implements FrameReader {
    static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int PB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;
    private static final long BYTE_ORDER_MAGIC = 0x1A2B3C4DL;
    private static final int OPT_END = 0;
    private static final int OPT_IF_TSRESOL = 9;
    private static final int OPT_IF_TSOFFSET = 14;

    private final ByteSource in;
    private final byte[] head = new byte[12];
    private final List<Interface> interfaces = new ArrayList<>();
    private byte[] block = new byte[4096];
    private boolean bigEndian;
    private long frames;
    private long lastTsNs;

    PcapNgReader(ByteSource in) {
        this.in = in;
    }

    static boolean isPcapNg(byte[] magic) {
        return ByteSource.u32(magic, 0, true) == SHB;
    }

    @Override
    public Frame next() throws IOException, PcapFormatException {
        while (true) {
            long at = in.position();
            if (!in.readFully(head, 8)) {
                return null;
            }
            int type = (int) ByteSource.u32(head, 0, bigEndian);
            if (type == SHB) {
                in.readExactly(head, 4);
                long bom = ByteSource.u32(head, 0, true);
                if (bom == BYTE_ORDER_MAGIC) {
                    bigEndian = true;
                } else if (ByteSource.u32(head, 0, false) == BYTE_ORDER_MAGIC) {
                    bigEndian = false;
                } else {
                    throw new PcapFormatException(at, "section header with an unknown byte-order magic");
                }
                long length = blockLength(at);
                in.skipFully(length - 12);
                interfaces.clear();
                continue;
            }
            long length = blockLength(at);
            int body = (int) length - 12;
            if (block.length < body + 4) {
                block = new byte[body + 4];
            }
            in.readExactly(block, body + 4); // the body and the trailing copy of the length
            Frame frame = switch (type) {
                case IDB -> {
                    interfaces.add(describeInterface(at, body));
                    yield null;
                }
                case EPB -> enhancedPacket(at, body);
                case SPB -> simplePacket(at, body);
                case PB -> obsoletePacket(at, body);
                default -> null;
            };
            if (frame != null) {
                frames++;
                lastTsNs = frame.tsNs();
                return frame;
            }
        }
    }

    @Override
    public long frameNumber() {
        return frames;
    }

    /** The length field of the block whose header is in {@code head} (an SHB's: once its byte order is known). */
    private long blockLength(long at) throws PcapFormatException {
        long length = ByteSource.u32(head, 4, bigEndian);
        if (length < 12 || length % 4 != 0 || length > PcapLimits.MAX_BLOCK) {
            throw new PcapFormatException(at, "block with an impossible length " + length);
        }
        return length;
    }

    private Interface describeInterface(long at, int body) throws PcapFormatException {
        if (body < 8) {
            throw new PcapFormatException(at, "interface description block too short");
        }
        int linkType = ByteSource.u16(block, 0, bigEndian);
        long snapLength = ByteSource.u32(block, 4, bigEndian);
        int exponent = 6;
        boolean binary = false;
        long offsetSeconds = 0;
        int i = 8;
        while (i + 4 <= body) {
            int code = ByteSource.u16(block, i, bigEndian);
            int len = ByteSource.u16(block, i + 2, bigEndian);
            int value = i + 4;
            if (code == OPT_END || value + len > body) {
                break;
            }
            if (code == OPT_IF_TSRESOL && len >= 1) {
                binary = (block[value] & 0x80) != 0;
                exponent = block[value] & 0x7f;
            } else if (code == OPT_IF_TSOFFSET && len >= 8) {
                long hi = ByteSource.u32(block, value, bigEndian);
                long lo = ByteSource.u32(block, value + 4, bigEndian);
                offsetSeconds = bigEndian ? (hi << 32) | lo : (lo << 32) | hi;
            }
            i = value + ((len + 3) & ~3);
        }
        return new Interface(linkType, snapLength, exponent, binary, offsetSeconds);
    }

    private Frame enhancedPacket(long at, int body) throws PcapFormatException {
        if (body < 20) {
            throw new PcapFormatException(at, "enhanced packet block too short");
        }
        Interface itf = interfaceOf(at, ByteSource.u32(block, 0, bigEndian));
        long ts = (ByteSource.u32(block, 4, bigEndian) << 32) | ByteSource.u32(block, 8, bigEndian);
        long captured = ByteSource.u32(block, 12, bigEndian);
        long original = ByteSource.u32(block, 16, bigEndian);
        if (captured > body - 20) {
            throw new PcapFormatException(at, "enhanced packet block: captured length exceeds the block");
        }
        return frame(itf, itf.toNanos(ts), 20, (int) captured, original);
    }

    private Frame obsoletePacket(long at, int body) throws PcapFormatException {
        if (body < 20) {
            throw new PcapFormatException(at, "packet block too short");
        }
        Interface itf = interfaceOf(at, ByteSource.u16(block, 0, bigEndian));
        long ts = (ByteSource.u32(block, 4, bigEndian) << 32) | ByteSource.u32(block, 8, bigEndian);
        long captured = ByteSource.u32(block, 12, bigEndian);
        long original = ByteSource.u32(block, 16, bigEndian);
        if (captured > body - 20) {
            throw new PcapFormatException(at, "packet block: captured length exceeds the block");
        }
        return frame(itf, itf.toNanos(ts), 20, (int) captured, original);
    }

    private Frame simplePacket(long at, int body) throws PcapFormatException {
        if (body < 4) {
            throw new PcapFormatException(at, "simple packet block too short");
        }
        Interface itf = interfaceOf(at, 0);
        long original = ByteSource.u32(block, 0, bigEndian);
        long captured = Math.min(original, body - 4L);
        if (itf.snapLength > 0) {
            captured = Math.min(captured, itf.snapLength);
        }
        // A simple packet block has no timestamp: it gets the time of the frame before it.
        return frame(itf, lastTsNs, 4, (int) captured, original);
    }

    private Frame frame(Interface itf, long tsNs, int from, int captured, long original) {
        byte[] data = new byte[captured];
        System.arraycopy(block, from, data, 0, captured);
        return new Frame(tsNs, itf.linkType, data, captured, (int) Math.min(Math.max(original, captured),
                Integer.MAX_VALUE));
    }

    private Interface interfaceOf(long at, long id) throws PcapFormatException {
        if (id < 0 || id >= interfaces.size()) {
            throw new PcapFormatException(at, "packet of undescribed interface " + id);
        }
        return interfaces.get((int) id);
    }

    /** One interface of the current section. */
    private record Interface(int linkType, long snapLength, int exponent, boolean binary, long offsetSeconds) {
        private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

        long toNanos(long ts) {
            long base = offsetSeconds * 1_000_000_000L;
            if (binary) {
                // Units of 2^-exponent seconds.
                BigInteger units = new BigInteger(Long.toUnsignedString(ts));
                return base + units.multiply(BILLION).shiftRight(exponent).longValue();
            }
            if (exponent <= 9) {
                long scale = 1;
                for (int k = exponent; k < 9; k++) {
                    scale *= 10;
                }
                return base + ts * scale;
            }
            long divisor = 1;
            for (int k = 9; k < exponent && k < 28; k++) {
                divisor *= 10;
                if (divisor > Long.MAX_VALUE / 10) {
                    break;
                }
            }
            return base + Long.divideUnsigned(ts, divisor);
        }
    }
}
