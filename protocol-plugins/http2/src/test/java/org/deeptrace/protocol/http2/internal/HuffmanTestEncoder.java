package org.deeptrace.protocol.http2.internal;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;

/** Test-side Huffman encoder over the production table (read reflectively), so round trips check the decoder tree. */
final class HuffmanTestEncoder {

    private HuffmanTestEncoder() {
    }

    static byte[] encode(byte[] in) {
        try {
            Field c = Huffman.class.getDeclaredField("CODES");
            Field l = Huffman.class.getDeclaredField("LENGTHS");
            c.setAccessible(true);
            l.setAccessible(true);
            int[] codes = (int[]) c.get(null);
            byte[] lengths = (byte[]) l.get(null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long acc = 0;
            int bits = 0;
            for (byte b : in) {
                int sym = b & 0xff;
                acc = (acc << lengths[sym]) | (codes[sym] & 0xffffffffL);
                bits += lengths[sym];
                while (bits >= 8) {
                    out.write((int) (acc >>> (bits - 8)));
                    bits -= 8;
                }
            }
            if (bits > 0) {
                out.write((int) ((acc << (8 - bits)) | (0xff >>> bits)));
            }
            return out.toByteArray();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
