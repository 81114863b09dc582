package org.deeptrace.itest.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.protocol.Origin;

/**
 * The byte format of a fuzz input: what one connection of a protocol looks like to a parser.
 *
 * <pre>
 * input  = flags step*
 * flags  = 1 byte: bit 0 set = the connection is UDP (when the protocol runs over UDP at all)
 * step   = kind length(2 bytes, big-endian) [bytes]
 * kind   = 1 byte: bit 0 = origin (0 client, 1 server); bits 1-3: 0..5 data, 6 gap of {@code length} bytes,
 *          7 gap of unknown length; other bits ignored
 * </pre>
 * A data step carries {@code length} bytes, fewer when the input ends first. Every byte string decodes to
 * something, so the fuzzer never wastes an input on a format error; {@link #encode} writes seeds.
 */
record FuzzInput(boolean udp, List<Step> steps) {

    /** One chunk of bytes sent by {@code origin}, or a gap ({@code bytes == null}, {@code gap} = length or -1). */
    record Step(Origin origin, byte[] bytes, long gap) {
        static Step data(Origin origin, byte[] bytes) {
            return new Step(origin, bytes, 0);
        }

        static Step gap(Origin origin, long length) {
            return new Step(origin, null, length);
        }

        boolean isData() {
            return bytes != null;
        }
    }

    private static final int KIND_GAP = 6;
    private static final int KIND_UNKNOWN_GAP = 7;

    static FuzzInput decode(byte[] in) {
        if (in.length == 0) {
            return new FuzzInput(false, List.of());
        }
        boolean udp = (in[0] & 1) != 0;
        List<Step> steps = new ArrayList<>();
        int i = 1;
        while (i + 3 <= in.length) {
            int kind = in[i] & 0xFF;
            int length = ((in[i + 1] & 0xFF) << 8) | (in[i + 2] & 0xFF);
            i += 3;
            Origin origin = (kind & 1) == 0 ? Origin.CLIENT : Origin.SERVER;
            int what = (kind >> 1) & 7;
            if (what == KIND_GAP) {
                steps.add(Step.gap(origin, length));
            } else if (what == KIND_UNKNOWN_GAP) {
                steps.add(Step.gap(origin, -1));
            } else {
                int n = Math.min(length, in.length - i);
                byte[] bytes = new byte[n];
                System.arraycopy(in, i, bytes, 0, n);
                i += n;
                steps.add(Step.data(origin, bytes));
            }
        }
        return new FuzzInput(udp, steps);
    }

    /** Writes steps in the format {@link #decode} reads; data longer than 65535 bytes is split. */
    static byte[] encode(boolean udp, List<Step> steps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(udp ? 1 : 0);
        for (Step s : steps) {
            int originBit = s.origin() == Origin.CLIENT ? 0 : 1;
            if (!s.isData()) {
                boolean unknown = s.gap() < 0;
                int length = unknown ? 0 : (int) Math.min(0xFFFF, s.gap());
                out.write(((unknown ? KIND_UNKNOWN_GAP : KIND_GAP) << 1) | originBit);
                out.write(length >> 8);
                out.write(length & 0xFF);
                continue;
            }
            int from = 0;
            do {
                int n = Math.min(0xFFFF, s.bytes().length - from);
                out.write(originBit);
                out.write(n >> 8);
                out.write(n & 0xFF);
                out.write(s.bytes(), from, n);
                from += n;
            } while (from < s.bytes().length);
        }
        return out.toByteArray();
    }
}
