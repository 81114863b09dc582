package org.deeptrace.pipeline.internal.osgi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.model.CaptureRecord;

/**
 * Reads several capture files at once and hands their records on in time order, each with the host it was
 * captured on. Per-host captures of one exchange must meet in the pipeline within the correlation window, which
 * reading the files one after the other would not give. One reader thread per file fills a small bounded queue
 * of batches; the merge always takes the file whose next record is oldest.
 */
final class MergedInputs {
    private static final int BATCH = 256;
    private static final int QUEUED_BATCHES = 8;

    /** A record and the host it was captured on. */
    interface Consumer {
        void accept(String host, CaptureRecord r);
    }

    /** One file to read. */
    record Source(CaptureInput format, Path file, String host) {
    }

    private MergedInputs() {
    }

    /** Reads every source to the end; the stats are per source, in the given order. */
    static List<CaptureInput.ReadStats> read(List<Source> sources, CaptureInput.ReadOptions options, Consumer consumer)
            throws IOException, MalformedInputException {
        List<Reader> readers = new ArrayList<>();
        for (Source s : sources) {
            readers.add(new Reader(s, options));
        }
        readers.forEach(Reader::start);
        try {
            PriorityQueue<Reader> byNext = new PriorityQueue<>((a, b) -> Long.compare(a.peek().tsNs(), b.peek().tsNs()));
            for (Reader r : readers) {
                if (r.advance()) {
                    byNext.add(r);
                }
            }
            while (!byNext.isEmpty()) {
                Reader r = byNext.poll();
                consumer.accept(r.source.host(), r.peek());
                if (r.advance()) {
                    byNext.add(r);
                }
            }
            List<CaptureInput.ReadStats> stats = new ArrayList<>();
            for (Reader r : readers) {
                stats.add(r.stats);
            }
            return stats;
        } finally {
            readers.forEach(Reader::stop);
        }
    }

    /** Reads one file on its own thread, a batch at a time. */
    private static final class Reader {
        private static final CaptureRecord[] END = new CaptureRecord[0];

        final Source source;
        private final CaptureInput.ReadOptions options;
        private final BlockingQueue<CaptureRecord[]> batches = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        private final Thread thread;
        private volatile Throwable failure;
        private volatile boolean stopped;
        CaptureInput.ReadStats stats;
        private CaptureRecord[] current = END;
        private int next;

        Reader(Source source, CaptureInput.ReadOptions options) {
            this.source = source;
            this.options = options;
            this.thread = new Thread(this::run, "deeptrace-replay-read-" + source.file().getFileName());
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }

        CaptureRecord peek() {
            return current[next];
        }

        /** Moves to the next record; false at the end of the file. */
        boolean advance() throws IOException, MalformedInputException {
            next++;
            if (next < current.length) {
                return true;
            }
            try {
                current = batches.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(source.file() + ": interrupted while reading", e);
            }
            next = 0;
            if (current == END) {
                rethrowFailure();
                return false;
            }
            return true;
        }

        private void run() {
            List<CaptureRecord> batch = new ArrayList<>(BATCH);
            try {
                stats = source.format().read(source.file(), options, r -> {
                    if (stopped) {
                        throw new CancellationException("replay ended before " + source.file());
                    }
                    batch.add(r);
                    if (batch.size() == BATCH) {
                        put(batch.toArray(END));
                        batch.clear();
                    }
                    return true;
                });
                if (!batch.isEmpty()) {
                    put(batch.toArray(END));
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                put(END);
            }
        }

        private void put(CaptureRecord[] batch) {
            try {
                while (!stopped && !batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    // the merge is busy with other files; wait for room
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void rethrowFailure() throws IOException, MalformedInputException {
            Throwable t = failure;
            if (t instanceof IOException io) {
                throw io;
            } else if (t instanceof MalformedInputException m) {
                throw m;
            } else if (t instanceof RuntimeException re) {
                throw re;
            } else if (t instanceof Error err) {
                throw err;
            } else if (t != null) {
                throw new IOException(source.file() + ": " + t, t);
            }
        }
    }
}
