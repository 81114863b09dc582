package org.deeptrace.protocol.tars.internal;

import java.util.Locale;
import org.deeptrace.api.protocol.Origin;

/**
 * The header fields of a Tars {@code RequestPacket} or {@code ResponsePacket} (JCE struct fields in tag order):
 * <pre>
 * RequestPacket:  1 iVersion, 2 cPacketType, 3 iMessageType, 4 iRequestId, 5 sServantName, 6 sFuncName,
 *                 7 sBuffer, 8 iTimeout, 9 context, 10 status
 * ResponsePacket: 1 iVersion, 2 cPacketType, 3 iRequestId, 4 iMessageType, 5 iRet, 6 sBuffer, 7 status,
 *                 8 sResultDesc, 9 context
 * </pre>
 * The two layouts are told apart by the type of field 5 (a string in requests, a number in responses). TUP and
 * JSON servers (iVersion 2 and 3) answer with the request layout; their result code and text travel in the status
 * map ({@code STATUS_RESULT_CODE}, {@code STATUS_RESULT_DESC}).
 */
final class TarsPacket {
    static final int MAX_NAME = 256;
    static final int MAX_TEXT = 512;

    int version;
    int packetType;
    int messageType;
    long requestId;
    boolean hasRequestId;
    boolean requestLayout;
    boolean responseLayout;
    String servantName;
    String funcName;
    int ret;
    boolean hasRet;
    String resultDesc;
    String xRequestId;
    String traceparent;
    String b3TraceId;
    String b3SpanId;
    String b3;
    String uberTraceId;
    String sw8;
    /** The kept bytes ended before the packet did (fields after the cut are unknown). */
    boolean partial;

    /** Tars's one-way packet type: no response follows. */
    static final int TARS_ONEWAY = 1;

    /**
     * Decodes the packet body (after the 4-byte length) in {@code [from, to)}; {@code complete} is false when that is
     * only a prefix of it.
     *
     * @return the fields, or {@code null} when the bytes are not a Tars packet
     */
    static TarsPacket decode(byte[] bytes, int from, int to, boolean complete) {
        TarsPacket p = new TarsPacket();
        JceReader r = new JceReader(bytes, from, to);
        long t3 = 0;
        long t4 = 0;
        boolean hasT3 = false;
        boolean hasT4 = false;
        try {
            r.head();
            if (r.tag != 1) {
                return null;
            }
            p.version = (int) r.number();
            if (p.version < 1 || p.version > 3) {
                return null;
            }
            while (r.hasMore()) {
                r.head();
                if (r.type == JceReader.STRUCT_END) {
                    return null; // a packet is the top-level struct: nothing closes it
                }
                switch (r.tag) {
                    case 2 -> p.packetType = (int) r.number();
                    case 3 -> {
                        t3 = r.number();
                        hasT3 = true;
                    }
                    case 4 -> {
                        t4 = r.number();
                        hasT4 = true;
                    }
                    case 5 -> {
                        if (r.type == JceReader.STRING1 || r.type == JceReader.STRING4) {
                            p.requestLayout = true;
                            p.servantName = r.string(MAX_NAME);
                        } else {
                            p.responseLayout = true;
                            p.ret = (int) r.number();
                            p.hasRet = true;
                        }
                    }
                    case 6 -> {
                        if (p.requestLayout) {
                            p.funcName = r.string(MAX_NAME);
                        } else {
                            r.skip();
                        }
                    }
                    case 7, 9, 10 -> {
                        if (r.type == JceReader.MAP) {
                            r.stringMap(p::mapEntry, MAX_TEXT);
                        } else {
                            r.skip();
                        }
                    }
                    case 8 -> {
                        if (p.responseLayout && (r.type == JceReader.STRING1 || r.type == JceReader.STRING4)) {
                            p.resultDesc = r.string(MAX_TEXT);
                        } else {
                            r.skip();
                        }
                    }
                    default -> r.skip();
                }
            }
        } catch (JceReader.BadJce e) {
            return null;
        } catch (JceReader.Truncated e) {
            if (complete) {
                return null;
            }
            p.partial = true;
        }
        if (p.requestLayout) {
            p.messageType = (int) t3;
            p.requestId = t4;
            p.hasRequestId = hasT4;
        } else {
            p.requestId = t3;
            p.hasRequestId = hasT3;
            p.messageType = (int) t4;
        }
        return p;
    }

    /** Whether the sender sent a request: the request layout from the client (TUP responses share it). */
    boolean isRequest(Origin origin) {
        if (requestLayout) {
            return origin == Origin.CLIENT;
        }
        return !responseLayout && origin == Origin.CLIENT;
    }

    private void mapEntry(String key, String value) {
        switch (key.toLowerCase(Locale.ROOT)) {
            case "x-request-id" -> xRequestId = value;
            case "traceparent" -> traceparent = value;
            case "x-b3-traceid" -> b3TraceId = value;
            case "x-b3-spanid" -> b3SpanId = value;
            case "b3" -> b3 = value;
            case "uber-trace-id" -> uberTraceId = value;
            case "sw8" -> sw8 = value;
            case "status_result_code" -> {
                try {
                    ret = Integer.parseInt(value.trim());
                    hasRet = true;
                } catch (NumberFormatException e) {
                    // not a number: no result code
                }
            }
            case "status_result_desc" -> resultDesc = value;
            default -> { }
        }
    }
}
