package org.deeptrace.sender.file.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An append-only file that is renamed aside when it reaches its size limit ({@code spans-<UTC time>.jsonl}
 * beside it) and whose rotated copies are deleted once older than the age limit.
 */
final class RotatingFile implements AutoCloseable {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final Path path;
    private final boolean rotate;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private OutputStream out;
    private long size;

    RotatingFile(Path path, boolean rotate, long maxBytes, Duration maxAge, Clock clock) {
        this.path = path;
        this.rotate = rotate;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    Path path() {
        return path;
    }

    /** Appends one chunk of whole lines; rotates first when it would cross the size limit. */
    void write(byte[] bytes) throws IOException {
        if (out == null) {
            open();
        }
        if (rotate && size > 0 && size + bytes.length > maxBytes) {
            rotateNow();
        }
        out.write(bytes);
        size += bytes.length;
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private void open() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        out = new java.io.BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), 1 << 16);
        size = Files.size(path);
    }

    private void rotateNow() throws IOException {
        close();
        Files.move(path, rotatedName());
        deleteExpired();
        open();
    }

    private Path rotatedName() {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Path candidate = path.resolveSibling(stem + "-" + STAMP.format(clock.instant()) + ext);
        for (int i = 1; Files.exists(candidate); i++) {
            candidate = path.resolveSibling(stem + "-" + STAMP.format(clock.instant()) + "-" + i + ext);
        }
        return candidate;
    }

    /** Deletes rotated copies (same stem, a timestamp after it) older than the age limit. */
    void deleteExpired() throws IOException {
        if (maxAge.isZero() || maxAge.isNegative()) {
            return;
        }
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String prefix = (dot > 0 ? name.substring(0, dot) : name) + "-";
        FileTime cutoff = FileTime.from(clock.instant().minus(maxAge));
        Path dir = path.toAbsolutePath().getParent();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
