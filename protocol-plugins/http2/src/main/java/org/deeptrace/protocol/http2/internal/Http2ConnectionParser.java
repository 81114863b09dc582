package org.deeptrace.protocol.http2.internal;

import static org.deeptrace.protocol.http2.internal.Http2Frames.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.MessageSink;
import org.deeptrace.api.protocol.Origin;

/**
 * One HTTP/2 connection: each direction is read frame by frame (9-byte header, payload skipped by length; only
 * header blocks and small control frames are buffered), header blocks are HPACK-decoded per direction, and a
 * stream's request (client) or response (server) is emitted when that end sets END_STREAM. Streams interleave,
 * so messages of one direction can overlap in stream offsets and complete out of order; the stream id is the
 * request id the pipeline pairs them by.
 */
final class Http2ConnectionParser implements ConnectionParser {

    /** A header block (HEADERS + CONTINUATION) larger than this is dropped and the HPACK state forgotten. */
    static final int MAX_HEADER_BLOCK = 256 * 1024;
    /** Enough of a control frame's payload for RST_STREAM and GOAWAY's last stream id. */
    private static final int CONTROL_PREFIX = 16;
    /**
     * Frames longer than this are taken for lost sync: peers may raise SETTINGS_MAX_FRAME_SIZE to 16 MiB, but the
     * common stacks read at most 1 MiB (Go) or 16 KiB (the default), and a bound makes garbage detectable.
     */
    static final int MAX_FRAME = 1 << 20;
    /** Open streams kept per direction (HTTP/2 servers allow about 100 to 1000 at once). */
    static final int MAX_TRACKED_STREAMS = 4096;

    private enum Phase { PREFACE, HEADER, PAYLOAD, LOST }

    /** One direction's reading state. */
    private final class Direction {
        final Origin origin;
        final HpackDecoder hpack;
        Phase phase;
        int prefaceMatched;
        final byte[] head = new byte[HEADER_LENGTH];
        int headFill;
        long frameStart;
        int length;
        int type;
        int flags;
        long streamId;
        int payloadRead;
        byte[] payload = new byte[CONTROL_PREFIX];
        int payloadKept;
        int payloadWanted;
        boolean damaged;
        /** The header block being gathered, across HEADERS / PUSH_PROMISE and CONTINUATION frames. */
        byte[] block = new byte[1024];
        int blockLen;
        long blockStream = -1;
        boolean blockEndsStream;
        boolean blockForPush;
        boolean blockDropped;
        final Map<Long, StreamHalf> halves = new HashMap<>();

        Direction(Origin origin) {
            this.origin = origin;
            this.phase = origin == Origin.CLIENT ? Phase.PREFACE : Phase.HEADER;
            this.hpack = new HpackDecoder(true);
        }
    }

    private final Map<Origin, Direction> directions = new EnumMap<>(Origin.class);
    /** Streams whose request was gRPC, so an error response without content-type is still gRPC. */
    private final Map<Long, Boolean> grpcStreams = new HashMap<>();

    Http2ConnectionParser() {
        for (Origin o : Origin.values()) {
            directions.put(o, new Direction(o));
        }
    }

    @Override
    public void onData(Origin origin, long offset, ByteBuffer chunk, MessageSink out) {
        Direction d = directions.get(origin);
        try {
            read(d, offset, chunk.slice(), out);
        } catch (RuntimeException e) { // never throw into the pipeline: count and resync
            out.malformed(origin, "internal parser error");
            loseSync(d, out);
        }
    }

    private void read(Direction d, long offset, ByteBuffer b, MessageSink out) {
        if (d.phase == Phase.PREFACE && offset > 0 && d.prefaceMatched == 0) {
            d.phase = Phase.LOST; // the capture started mid-stream
        }
        if (d.phase == Phase.LOST) {
            if (!plausible(b, 0)) {
                return;
            }
            d.phase = Phase.HEADER;
            d.headFill = 0;
        }
        int i = 0;
        int n = b.limit();
        while (i < n) {
            switch (d.phase) {
                case PREFACE -> {
                    if (b.get(i) != PREFACE[d.prefaceMatched]) {
                        if (d.prefaceMatched == 0 && offset == 0) {
                            d.phase = Phase.HEADER; // no preface: an h2 stream picked up at its start (or mid-way)
                            continue;
                        }
                        out.malformed(d.origin, "bad connection preface");
                        loseSync(d, out);
                        return;
                    }
                    i++;
                    if (++d.prefaceMatched == PREFACE.length) {
                        d.phase = Phase.HEADER;
                        d.hpack.reset(); // the connection's first header block is ahead: the table is complete
                    }
                }
                case HEADER -> {
                    if (d.headFill == 0 && n - i >= HEADER_LENGTH) {
                        b.get(i, d.head, 0, HEADER_LENGTH);
                        d.headFill = HEADER_LENGTH;
                        i += HEADER_LENGTH;
                    } else {
                        d.head[d.headFill++] = b.get(i++);
                    }
                    if (d.headFill == HEADER_LENGTH) {
                        long frameStart = offset + i - HEADER_LENGTH;
                        if (!startFrame(d, frameStart, out)) {
                            loseSync(d, out);
                            return;
                        }
                        if (d.length == 0) {
                            endFrame(d, out);
                        }
                    }
                }
                case PAYLOAD -> {
                    int take = Math.min(n - i, d.length - d.payloadRead);
                    int keep = Math.min(take, d.payloadWanted - d.payloadKept);
                    if (keep > 0) {
                        b.get(i, d.payload, d.payloadKept, keep);
                        d.payloadKept += keep;
                    }
                    d.payloadRead += take;
                    i += take;
                    if (d.payloadRead == d.length) {
                        endFrame(d, out);
                    }
                }
                case LOST -> {
                    return;
                }
            }
        }
    }

    /** Reads the 9-byte header; false when it cannot be a frame here. */
    private boolean startFrame(Direction d, long frameStart, MessageSink out) {
        byte[] h = d.head;
        d.frameStart = frameStart;
        d.length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
        d.type = h[3] & 0xff;
        d.flags = h[4] & 0xff;
        d.streamId = (((h[5] & 0x7fL) << 24) | ((h[6] & 0xffL) << 16) | ((h[7] & 0xffL) << 8) | (h[8] & 0xffL));
        d.headFill = 0;
        d.payloadRead = 0;
        d.payloadKept = 0;
        d.damaged = false;
        if (frameStart == 0 && d.origin == Origin.SERVER && d.type == SETTINGS) {
            d.hpack.reset(); // the server's first frame: the connection starts here, the table is complete
        }
        if (d.length > MAX_FRAME || (d.type > CONTINUATION && (d.type > 0x10 || d.length > 16384))) {
            out.malformed(d.origin, "implausible frame header");
            return false;
        }
        boolean inBlock = d.blockStream >= 0;
        if (inBlock != (d.type == CONTINUATION) || (inBlock && d.streamId != d.blockStream)) {
            out.malformed(d.origin, inBlock ? "header block interrupted" : "unexpected CONTINUATION");
            return false;
        }
        if ((d.type == DATA || d.type == HEADERS || d.type == CONTINUATION || d.type == PUSH_PROMISE
                || d.type == RST_STREAM) && d.streamId == 0) {
            out.malformed(d.origin, "stream frame on stream 0");
            return false;
        }
        if (d.type == SETTINGS && (d.streamId != 0 || d.length % 6 != 0)) {
            out.malformed(d.origin, "bad SETTINGS frame");
            return false;
        }
        if (d.type == HEADERS || d.type == CONTINUATION || d.type == PUSH_PROMISE) {
            d.payloadWanted = d.length;
            if (d.blockLen + d.length > MAX_HEADER_BLOCK) {
                d.payloadWanted = 0;
                if (!d.blockDropped) {
                    out.malformed(d.origin, "header block too large");
                }
                d.blockDropped = true;
            }
        } else if (d.type == DATA) {
            d.payloadWanted = 0; // bodies are skipped, never buffered
        } else {
            d.payloadWanted = Math.min(d.length, CONTROL_PREFIX);
        }
        if (d.payload.length < d.payloadWanted) {
            d.payload = new byte[Math.max(d.payloadWanted, 2 * d.payload.length)];
        }
        d.phase = Phase.PAYLOAD;
        return true;
    }

    private void endFrame(Direction d, MessageSink out) {
        d.phase = Phase.HEADER;
        long frameEnd = d.frameStart + HEADER_LENGTH + d.length;
        long stream = d.streamId;
        StreamHalf half = stream == 0 ? null : d.halves.get(stream);
        switch (d.type) {
            case DATA -> {
                if (half != null) {
                    half.addFrame(d.frameStart, frameEnd);
                    if ((d.flags & FLAG_END_STREAM) != 0) {
                        finish(d, half, out);
                    }
                }
            }
            case HEADERS -> {
                if (half == null && d.halves.size() >= MAX_TRACKED_STREAMS) {
                    out.malformed(d.origin, "too many open streams");
                    d.halves.clear(); // a peer far above any SETTINGS_MAX_CONCURRENT_STREAMS, or lost END_STREAMs
                }
                if (half == null && (d.origin == Origin.SERVER || (stream & 1) == 1)) {
                    half = new StreamHalf(stream, d.frameStart);
                    d.halves.put(stream, half);
                }
                if (half != null) {
                    half.addFrame(d.frameStart, frameEnd);
                }
                int from = 0;
                int to = d.payloadKept;
                if ((d.flags & FLAG_PADDED) != 0 && to > 0) {
                    int pad = d.payload[0] & 0xff;
                    from = 1;
                    to -= pad;
                }
                if ((d.flags & FLAG_PRIORITY) != 0) {
                    from += 5;
                }
                d.blockStream = stream;
                d.blockEndsStream = (d.flags & FLAG_END_STREAM) != 0;
                d.blockForPush = false;
                appendFragment(d, from, to, out);
            }
            case PUSH_PROMISE -> {
                int from = 4;
                int to = d.payloadKept;
                if ((d.flags & FLAG_PADDED) != 0 && to > 0) {
                    from = 5;
                    to -= d.payload[0] & 0xff;
                }
                d.blockStream = stream;
                d.blockEndsStream = false;
                d.blockForPush = true;
                appendFragment(d, from, to, out);
            }
            case CONTINUATION -> {
                if (half != null) {
                    half.addFrame(d.frameStart, frameEnd);
                }
                appendFragment(d, 0, d.payloadKept, out);
            }
            case RST_STREAM -> {
                if (half != null) {
                    half.addFrame(d.frameStart, frameEnd);
                }
                resetStream(stream, out);
            }
            case GOAWAY -> {
                if (d.payloadKept >= 4 && !d.damaged) {
                    long last = ((d.payload[0] & 0x7fL) << 24) | ((d.payload[1] & 0xffL) << 16)
                            | ((d.payload[2] & 0xffL) << 8) | (d.payload[3] & 0xffL);
                    List<Long> gone = new ArrayList<>();
                    for (Direction x : directions.values()) {
                        for (Long s : x.halves.keySet()) {
                            if (s > last) {
                                gone.add(s);
                            }
                        }
                    }
                    gone.stream().distinct().sorted().forEach(s -> resetStream(s, out));
                }
            }
            default -> { // SETTINGS, PING, PRIORITY, WINDOW_UPDATE, extensions: part of the stream's bytes only
                if (half != null) {
                    half.addFrame(d.frameStart, frameEnd);
                }
            }
        }
    }

    private void appendFragment(Direction d, int from, int to, MessageSink out) {
        boolean endHeaders = (d.flags & FLAG_END_HEADERS) != 0;
        if (d.damaged || from > to || to > d.payloadKept) {
            if (!d.blockDropped && !d.damaged) {
                out.malformed(d.origin, "bad padding");
            }
            d.blockDropped = true;
        }
        if (!d.blockDropped) {
            int len = to - from;
            if (d.block.length < d.blockLen + len) {
                d.block = java.util.Arrays.copyOf(d.block, Math.max(d.blockLen + len, 2 * d.block.length));
            }
            System.arraycopy(d.payload, from, d.block, d.blockLen, len);
            d.blockLen += len;
        }
        if (!endHeaders) {
            return;
        }
        List<HpackDecoder.Header> headers = List.of();
        if (d.blockDropped) {
            d.hpack.desync();
        } else {
            try {
                headers = d.hpack.decode(d.block, 0, d.blockLen);
            } catch (HpackException e) {
                out.malformed(d.origin, "bad header block");
                d.hpack.desync();
            }
        }
        long stream = d.blockStream;
        boolean endsStream = d.blockEndsStream;
        boolean push = d.blockForPush;
        d.blockStream = -1;
        d.blockLen = 0;
        d.blockDropped = false;
        if (d.block.length > 64 * 1024) {
            d.block = new byte[1024]; // do not keep a huge buffer for the connection's life
        }
        StreamHalf half = push ? null : d.halves.get(stream);
        if (half != null) {
            half.addHeaders(headers);
            if (d.origin == Origin.CLIENT && Http2Messages.isGrpc(half.header("content-type"))) {
                if (grpcStreams.size() >= MAX_TRACKED_STREAMS) {
                    grpcStreams.clear(); // responses that never came: do not let them pile up
                }
                grpcStreams.put(stream, Boolean.TRUE);
            }
            if (endsStream) {
                finish(d, half, out);
            }
        }
    }

    private void finish(Direction d, StreamHalf half, MessageSink out) {
        d.halves.remove(half.streamId);
        if (d.origin == Origin.CLIENT) {
            out.message(Origin.CLIENT, Http2Messages.request(half), half.start, half.end);
        } else {
            boolean grpc = grpcStreams.remove(half.streamId) != null;
            out.message(Origin.SERVER, Http2Messages.response(half, grpc), half.start, half.end);
        }
    }

    /** RST_STREAM or GOAWAY: the request (if its headers were seen) is emitted without a response. */
    private void resetStream(long stream, MessageSink out) {
        Direction client = directions.get(Origin.CLIENT);
        StreamHalf request = client.halves.remove(stream);
        if (request != null && request.sawHeaders) {
            out.message(Origin.CLIENT, Http2Messages.request(request), request.start, request.end);
        }
        directions.get(Origin.SERVER).halves.remove(stream);
        grpcStreams.remove(stream);
    }

    @Override
    public void onGap(Origin origin, long offset, long length, MessageSink out) {
        Direction d = directions.get(origin);
        if (length > 0 && d.phase == Phase.PAYLOAD && length <= (long) d.length - d.payloadRead) {
            // The gap falls inside one frame's payload: skip it. A body loses nothing; a header block is lost.
            d.payloadRead += (int) length;
            if (d.payloadWanted > 0) {
                d.damaged = true;
                d.payloadWanted = d.payloadKept;
            }
            if (d.payloadRead == d.length) {
                endFrame(d, out);
            }
            return;
        }
        if (length == 0) {
            return;
        }
        loseSync(d, out);
    }

    /** Frame boundaries are lost: wait for a chunk that starts with a plausible frame header. */
    private void loseSync(Direction d, MessageSink out) {
        d.phase = Phase.LOST;
        d.headFill = 0;
        d.blockStream = -1;
        d.blockLen = 0;
        d.blockDropped = false;
        d.hpack.desync();
        if (d.origin == Origin.CLIENT) {
            // Requests whose end was lost: emit those whose headers were read, in stream order.
            d.halves.values().stream().filter(h -> h.sawHeaders).sorted((a, b) -> Long.compare(a.streamId, b.streamId))
                    .toList().forEach(h -> out.message(Origin.CLIENT, Http2Messages.request(h), h.start, h.end));
        }
        d.halves.clear();
    }

    @Override
    public void onClose(MessageSink out) {
        Direction client = directions.get(Origin.CLIENT);
        client.halves.values().stream().filter(h -> h.sawHeaders)
                .sorted((a, b) -> Long.compare(a.streamId, b.streamId)).toList()
                .forEach(h -> out.message(Origin.CLIENT, Http2Messages.request(h), h.start, h.end));
        client.halves.clear();
    }
}
