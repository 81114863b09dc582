package org.deeptrace.sender.opensearch.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A bounded, append-only, on-disk queue of bulk entries the cluster has not taken yet. Entries are appended to
 * numbered segment files ({@code 00000000000000000042.ndjson}, plain bulk NDJSON: an action line and a document
 * line per entry); the drainer takes the oldest closed segment, sends it, and deletes it — or atomically replaces it
 * with what is still left. Segments survive a restart of the sender; a torn entry at the end of a segment (a crash
 * mid-write) is skipped and counted. When the spool is full, entries are refused and the caller counts them dropped.
 */
final class Spool implements AutoCloseable {
    private static final String SUFFIX = ".ndjson";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private long bytes;
    private long nextSeq;
    private long currentSeq = -1;
    private FileChannel current;

    Spool(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 * 1024, Math.min(8L * 1024 * 1024, maxBytes / 8));
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    long seq = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                    long size = Files.size(f);
                    segments.put(seq, size);
                    bytes += size;
                } catch (NumberFormatException e) {
                    // not one of ours: leave it alone
                }
            }
        }
        nextSeq = segments.isEmpty() ? 0 : segments.lastKey() + 1;
    }

    /**
     * Appends entries in order while they fit; returns how many did not fit (the caller counts them dropped).
     * Forces the data to disk before returning.
     */
    synchronized int append(List<byte[]> entries) throws IOException {
        int refused = 0;
        for (byte[] e : entries) {
            if (bytes + e.length > maxBytes) {
                refused++;
                continue;
            }
            if (current == null || segments.get(currentSeq) + e.length > segmentBytes) {
                roll();
                currentSeq = nextSeq++;
                current = FileChannel.open(segment(currentSeq), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                segments.put(currentSeq, 0L);
            }
            ByteBuffer buf = ByteBuffer.wrap(e);
            while (buf.hasRemaining()) {
                current.write(buf);
            }
            segments.merge(currentSeq, (long) e.length, Long::sum);
            bytes += e.length;
        }
        if (current != null) {
            current.force(false);
        }
        return refused;
    }

    /** The oldest segment's sequence number, closing it for writing first if it is the one being appended; -1 if empty. */
    synchronized long oldest() throws IOException {
        if (segments.isEmpty()) {
            return -1;
        }
        long seq = segments.firstKey();
        if (seq == currentSeq) {
            roll();
        }
        return seq;
    }

    /** Reads a closed segment's whole entries; a torn tail is left out and reported in {@link Read#tornBytes()}. */
    Read read(long seq) throws IOException {
        byte[] all = Files.readAllBytes(segment(seq));
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        int lines = 0;
        int end = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n' && ++lines == 2) {
                end = i + 1;
                byte[] entry = new byte[end - start];
                System.arraycopy(all, start, entry, 0, entry.length);
                entries.add(entry);
                start = end;
                lines = 0;
            }
        }
        return new Read(entries, all.length - end);
    }

    record Read(List<byte[]> entries, int tornBytes) {
    }

    /** Replaces a drained segment by what is left of it (deletes it when nothing is). */
    synchronized void replace(long seq, List<byte[]> left) throws IOException {
        Path file = segment(seq);
        long old = segments.getOrDefault(seq, 0L);
        if (left.isEmpty()) {
            Files.deleteIfExists(file);
            segments.remove(seq);
            bytes -= old;
            return;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        long size = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (byte[] e : left) {
                ByteBuffer buf = ByteBuffer.wrap(e);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                size += e.length;
            }
            out.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        segments.put(seq, size);
        bytes += size - old;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int segments() {
        return segments.size();
    }

    synchronized boolean isEmpty() {
        return segments.isEmpty();
    }

    Path dir() {
        return dir;
    }

    private Path segment(long seq) {
        return dir.resolve(String.format("%020d%s", seq, SUFFIX));
    }

    private void roll() throws IOException {
        if (current != null) {
            current.force(false);
            current.close();
            current = null;
            currentSeq = -1;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        roll();
    }
}
