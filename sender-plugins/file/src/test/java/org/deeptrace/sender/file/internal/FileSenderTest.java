package org.deeptrace.sender.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.sender.SendResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSenderTest {
    @TempDir
    Path dir;

    static Span span(int i) {
        return new Span(String.format("%016x", i + 1), null, null, SpanKind.SERVER, "h", 1, 1, "svc", "HTTP1",
                Transport.TCP, "10.0.0.2:80", "10.0.0.1:1", i, i + 10, 10, 20, "/a", "GET", "/a?x=1", null, 200, null,
                null, null);
    }

    @Test
    void writesOneContractLinePerSpanInOrder() throws IOException {
        FileSender sender = new FileSender();
        Path out = dir.resolve("spans/spans.jsonl");
        sender.activate(Map.of("path", out.toString()));
        assertEquals(SendResult.SUCCESS, sender.send(List.of(span(1), span(2))));
        sender.deactivate();

        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"span_id\":\"0000000000000002\",\"parent_span_id\":null,\"trace_id\":null,"));
        assertTrue(lines.get(1).contains("\"start_ns\":2,"));
    }

    @Test
    void rotatesBySizeAndDeletesRotatedFilesOlderThanTheAgeLimit() throws IOException {
        Path out = dir.resolve("spans.jsonl");
        Path old = dir.resolve("spans-20200101T000000.000.jsonl");
        Files.writeString(old, "old\n");
        Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        try (RotatingFile file = new RotatingFile(out, true, 100, Duration.ofDays(7), clock)) {
            file.write(new byte[60]);
            file.write(new byte[60]); // crosses 100 bytes: the first 60 move aside
            file.write(new byte[30]);
        }
        assertEquals(90, Files.size(out));
        assertTrue(Files.exists(dir.resolve("spans-20261125T120000.000.jsonl")));
        assertFalse(Files.exists(old), "rotated more than 7 days ago");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void aBadConfigValueNamesTheFileTheKeyAndTheReason() {
        FileSender sender = new FileSender();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sender.activate(
                Map.of("path", "x", "max_size", "ten", "felix.fileinstall.filename", "file:/opt/etc/org.deeptrace.sender.file.cfg")));
        assertEquals("/opt/etc/org.deeptrace.sender.file.cfg: max_size = 'ten' is not a whole number", e.getMessage());
    }
}
