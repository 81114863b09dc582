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
 * Turns a span into one bulk entry: the {@code index} action line (daily index, {@code _id} = span id) and the
 * document line — the contract's span record (section 3) plus {@code @timestamp} (epoch milliseconds) and
 * {@code duration_ns}. The entry is final bytes: the spool stores and replays it unchanged, so a spooled span lands
 * in the index it was meant for.
 *
 * <p>The daily index comes from the span's own start, never from when the sender got it: a span sent again (the
 * same replay twice, a retry, a spool drained after a restart) on another day goes to the same index under the same
 * {@code _id} and overwrites itself — one document per span. A wall-clock {@code start_ns} is used as it is; a
 * monotonic one (eBPF {@code ktime}: nanoseconds since boot) is dated from the host's boot time
 * ({@link SenderClock#bootEpochNs()}), which is the same for every start of the sender within one boot. Only
 * {@code timestamp = received} dates by arrival, and then a re-send on another day is a second document.
 */
final class SpanDocuments {
    /** 2000-01-01T00:00:00Z in nanoseconds: a start_ns below it is a monotonic clock, not wall-clock time. */
    static final long WALL_CLOCK_FLOOR_NS = 946_684_800_000_000_000L;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    private final String indexPrefix;
    private final TimestampSource timestamp;
    private final LongSupplier nowMillis;
    private final long bootEpochNs;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedIndex;

    SpanDocuments(String indexPrefix, TimestampSource timestamp, SenderClock clock) {
        this.indexPrefix = indexPrefix;
        this.timestamp = timestamp;
        this.nowMillis = clock.wallMillis();
        this.bootEpochNs = clock.bootEpochNs();
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
            case AUTO -> Math.floorDiv(span.startNs() >= WALL_CLOCK_FLOOR_NS ? span.startNs()
                    : bootEpochNs + span.startNs(), 1_000_000L);
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
