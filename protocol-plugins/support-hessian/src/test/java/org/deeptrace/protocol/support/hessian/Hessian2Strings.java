package org.deeptrace.protocol.support.hessian;

import java.io.ByteArrayOutputStream;

/**
 * Writes Hessian 2 strings the way Hessian writers do, for tests (this module's and, through its test jar, the
 * plugins' frame builders).
 */
public final class Hessian2Strings {
    private Hessian2Strings() {
    }

    /** A Hessian string in its shortest form (or N for null), as Hessian writers write it. */
    public static void writeString(ByteArrayOutputStream out, String s) {
        if (s == null) {
            out.write('N');
            return;
        }
        int chars = s.length();
        byte[] utf8 = cesu8(s);
        if (chars < 32) {
            out.write(chars);
        } else if (chars < 1024) {
            out.write(0x30 + (chars >> 8));
            out.write(chars & 0xff);
        } else {
            out.write('S');
            out.write(chars >> 8);
            out.write(chars & 0xff);
        }
        out.write(utf8, 0, utf8.length);
    }

    /** UTF-8 with each surrogate encoded on its own, as Hessian does. */
    public static byte[] cesu8(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xc0 | (c >> 6));
                out.write(0x80 | (c & 0x3f));
            } else {
                out.write(0xe0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3f));
                out.write(0x80 | (c & 0x3f));
            }
        }
        return out.toByteArray();
    }
}
