package org.deeptrace.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Span;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.store.lucene.internal.StoreBenchDriver;

/**
 * The embedded span store: ingest rate, disk bytes per span, query latency for trace search and trace by id over
 * a large index.
 *
 * <pre>bench/run StoreBench ../shared/datasets/rps100.capture.jsonl [spans=1000000] [index-dir]</pre>
 *
 * The capture runs once through the pipeline (HTTP/1, FIFO, trace assembly); its spans are the template that is
 * copied, shifted in time and re-identified until the index holds the requested number of spans. The index
 * directory (default: a fresh temporary one) is deleted at the end unless given.
 */
public final class StoreBench {
    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: StoreBench CAPTURE.jsonl [spans] [index-dir]");
            System.exit(2);
        }
        long target = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        boolean temporary = args.length < 3;
        Path dir = temporary ? Files.createTempDirectory("deeptrace-store-bench") : Path.of(args[2]);
        List<CaptureRecord> records = new ArrayList<>();
        new CaptureJsonlInput().read(Path.of(args[0]), new CaptureInput.ReadOptions(false), records::add);
        List<Span> template = ReplayBench.run(records).stream().filter(s -> s.traceId() != null).toList();
        try {
            StoreBenchDriver.run(template, target, dir);
        } finally {
            if (temporary) {
                try (var all = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
