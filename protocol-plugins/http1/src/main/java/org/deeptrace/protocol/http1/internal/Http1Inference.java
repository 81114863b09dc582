package org.deeptrace.protocol.http1.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/**
 * Decides from the first bytes of a stream whether it is HTTP/1, and which end sent them. Byte comparisons only,
 * bounded work, no allocation beyond the verdict.
 */
final class Http1Inference {

    /** A whole request or status line: nothing else looks like this. */
    static final double CERTAIN = 0.95;
    /** A known method and a valid target so far, the version not yet seen. */
    static final double LIKELY = 0.6;
    /** Only the method and its space, or only {@code HTTP/1.x}: the chunk was cut short. */
    static final double PLAUSIBLE = 0.5;
    /** Five to nine bytes of {@code HTTP/1.x }: probably a response, too short to be sure. */
    static final double FRAGMENT = 0.4;

    /** Request lines longer than this are not worth scanning to decide (URLs rarely exceed 8 KiB). */
    private static final int MAX_SCAN = 8192;
    private static final byte[] VERSION = Ascii.bytes("HTTP/1.");

    private Http1Inference() {
    }

    static Inference infer(ByteBuffer b, Transport l4) {
        if (l4 != Transport.TCP || b == null) {
            return Inference.NO;
        }
        int from = b.position();
        int to = Math.min(b.limit(), from + MAX_SCAN);
        int method = MessageStart.knownMethod(b, from, to);
        if (method > 0) {
            return requestLine(b, from + method, to);
        }
        return statusLine(b, from, to);
    }

    /** After {@code METHOD SP}: {@code target SP HTTP/1.x CRLF}. */
    private static Inference requestLine(ByteBuffer b, int i, int to) {
        if (i == to) {
            return Inference.of(PLAUSIBLE, Origin.CLIENT);
        }
        int target = i;
        while (i < to && isTargetByte(b.get(i))) {
            i++;
        }
        if (i == target) {
            return Inference.NO;
        }
        if (i == to) {
            return Inference.of(PLAUSIBLE, Origin.CLIENT);
        }
        if (b.get(i) != Ascii.SP) {
            return Inference.NO; // a control byte in the target, or HTTP/0.9 (no version)
        }
        i++;
        int available = Math.min(to - i, VERSION.length);
        for (int k = 0; k < available; k++) {
            if (b.get(i + k) != VERSION[k]) {
                return Inference.NO; // HTTP/2.0 (the PRI preface), RTSP/1.0, ...
            }
        }
        i += VERSION.length;
        if (i >= to) {
            return Inference.of(LIKELY, Origin.CLIENT);
        }
        if (!Ascii.isDigit(b.get(i))) {
            return Inference.NO;
        }
        i++;
        if (i == to || b.get(i) == Ascii.CR || b.get(i) == Ascii.LF) {
            return Inference.of(CERTAIN, Origin.CLIENT);
        }
        return Inference.NO;
    }

    /** {@code HTTP/1.0 } or {@code HTTP/1.1 }, three digits, then a space or the end of the line. */
    private static Inference statusLine(ByteBuffer b, int from, int to) {
        int length = to - from;
        if (length < VERSION.length + 2) {
            // Too short to tell: accept a prefix of "HTTP/1.x " long enough not to be a coincidence.
            return length >= 5 && isPrefixOfStatusLine(b, from, to) ? Inference.of(FRAGMENT, Origin.SERVER)
                    : Inference.NO;
        }
        if (!Ascii.startsWith(b, from, to, VERSION)) {
            return Inference.NO;
        }
        byte minor = b.get(from + 7);
        if ((minor != '0' && minor != '1') || b.get(from + 8) != Ascii.SP) {
            return Inference.NO;
        }
        int i = from + 9;
        for (int k = 0; k < 3; k++, i++) {
            if (i == to) {
                return Inference.of(PLAUSIBLE, Origin.SERVER);
            }
            if (!Ascii.isDigit(b.get(i))) {
                return Inference.NO;
            }
        }
        if (b.get(from + 9) == '0') {
            return Inference.NO; // status codes start at 100
        }
        if (i == to || b.get(i) == Ascii.SP || b.get(i) == Ascii.CR || b.get(i) == Ascii.LF) {
            return Inference.of(CERTAIN, Origin.SERVER);
        }
        return Inference.NO;
    }

    private static boolean isPrefixOfStatusLine(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            int k = i - from;
            byte c = b.get(i);
            boolean ok = k < VERSION.length ? c == VERSION[k] : k == VERSION.length ? c == '0' || c == '1' : c == Ascii.SP;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Bytes a request target may contain: visible ASCII and (leniently) raw non-ASCII bytes. */
    static boolean isTargetByte(byte b) {
        return (b & 0xFF) > 0x20 && b != 0x7F;
    }
}
