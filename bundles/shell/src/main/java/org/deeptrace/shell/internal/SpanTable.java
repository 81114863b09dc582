package org.deeptrace.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.support.table.ShellTable;
import org.deeptrace.api.model.Span;

/** Prints spans one per row, in the order given. */
final class SpanTable {
    /**
     * Timestamps from or after 2001-09-09 (10^18 ns since the epoch) are taken as wall-clock time; smaller
     * ones come from a monotonic clock (time since boot) and are shown as seconds.
     */
    static final long EPOCH_THRESHOLD_NS = 1_000_000_000_000_000_000L;

    private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS",
            Locale.ROOT);

    private SpanTable() {
    }

    static void print(List<Span> spans, ZoneId zone, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no spans");
        table.column("Start");
        table.column("Kind");
        table.column("Process");
        table.column("Protocol");
        table.column("Endpoint").maxSize(40);
        table.column("Status");
        table.column("Duration ms").alignRight();
        table.column("Span ID");
        table.column("Parent ID");
        for (Span s : spans) {
            table.addRow().addContent(startTime(s.startNs(), zone), s.kind().wireName(), process(s), s.protocol(),
                    orDash(s.endpoint()), outcome(s), durationMs(s.durationNs()), s.spanId(),
                    orDash(s.parentSpanId()));
        }
        table.print(out);
    }

    static String startTime(long startNs, ZoneId zone) {
        if (startNs >= EPOCH_THRESHOLD_NS) {
            Instant instant = Instant.ofEpochSecond(startNs / 1_000_000_000L, startNs % 1_000_000_000L);
            return WALL_CLOCK.format(instant.atZone(zone));
        }
        return String.format(Locale.ROOT, "%d.%06ds", startNs / 1_000_000_000L, startNs % 1_000_000_000L / 1_000L);
    }

    static String durationMs(long durationNs) {
        return String.format(Locale.ROOT, "%.3f", durationNs / 1_000_000.0);
    }

    /** {@code comm/pid}, or the pid alone when the process name is unknown. */
    static String process(Span s) {
        return s.comm() == null || s.comm().isEmpty() ? String.valueOf(s.tgid()) : s.comm() + "/" + s.tgid();
    }

    /** {@code status/code}, either part alone when the other is absent, {@code -} when both are. */
    static String outcome(Span s) {
        String status = s.responseStatus() == null ? null : s.responseStatus().wireName();
        Integer code = s.responseCode();
        if (status != null && code != null) {
            return status + "/" + code;
        }
        if (status != null) {
            return status;
        }
        return code != null ? code.toString() : "-";
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
