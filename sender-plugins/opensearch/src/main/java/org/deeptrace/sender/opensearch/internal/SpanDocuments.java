package org.deeptrace.sender.opensearch.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Span;
import org.deeptrace.sender.opensearch.internal.SenderSettings.TimestampSource;

/**
 * Turns a span into one bulk entry: the {@code index} action line (daily index, {@code _id} = span id, so a resent
 * span overwrites itself instead of duplicating) and the document line — the contract's span record (section 3) plus
 * {@code @timestamp} (epoch milliseconds) and {@code duration_ns}. The entry is final bytes: the spool stores and
 * replays it unchanged, so a spooled span lands in the index it was meant for.
 */
final class SpanDocuments {
    /** 2000-01-01T00:00:00Z in nanoseconds: a start_ns below it is a monotonic clock, not wall-clock time. */
    static final long WALL_CLOCK_FLOOR_NS = 946_684_800_000_000_000L;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    private final String indexPrefix;
    private final TimestampSource timestamp;
    private final LongSupplier nowMillis;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedIndex;

    SpanDocuments(String indexPrefix, TimestampSource timestamp, LongSupplier nowMillis) {
        this.indexPrefix = indexPrefix;
        this.timestamp = timestamp;
        this.nowMillis = nowMillis;
    }

    byte[] entry(Span span) {
        long millis = timestampMillis(span);
        String doc = RecordJson.span(span);
        StringBuilder sb = new StringBuilder(doc.length() + 160);
        sb.append("{\"index\":{\"_index\":\"").append(index(millis)).append("\",\"_id\":\"");
        escape(sb, span.spanId());
        sb.append("\"}}\n");
        sb.append(doc, 0, doc.length() - 1);
        sb.append(",\"@timestamp\":").append(millis).append(",\"duration_ns\":").append(span.durationNs()).append("}\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    long timestampMillis(Span span) {
        return switch (timestamp) {
            case START_NS -> Math.floorDiv(span.startNs(), 1_000_000L);
            case RECEIVED -> nowMillis.getAsLong();
            case AUTO -> span.startNs() >= WALL_CLOCK_FLOOR_NS ? span.startNs() / 1_000_000L : nowMillis.getAsLong();
        };
    }

    /** The daily index of a timestamp: {@code <prefix>YYYY.MM.DD}, UTC. */
    String index(long millis) {
        long day = Math.floorDiv(millis, 86_400_000L);
        if (day != cachedDay) {
            cachedIndex = indexPrefix + DAY.format(Instant.ofEpochMilli(millis));
            cachedDay = day;
        }
        return cachedIndex;
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }
}
