package org.deeptrace.capture.files.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.capture.CaptureSink;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.model.CaptureRecord;
import org.osgi.service.component.annotations.Component;

/** Capture-record JSON Lines (contract section 1), plain or gzip: what {@code deeptrace capture} writes. */
@Component(service = CaptureInput.class)
public final class CaptureJsonlInput implements CaptureInput {

    @Override
    public String format() {
        return "capture-jsonl";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        int i = InputFiles.firstNonWhitespace(head);
        return i >= 0 && head[i] == '{' && InputFiles.contains(head, "\"ts_ns\"");
    }

    @Override
    public ReadStats read(Path file, ReadOptions options, CaptureSink sink) throws IOException, MalformedInputException {
        CaptureRecordParser parser = new CaptureRecordParser();
        long records = 0;
        long skipped = 0;
        String firstSkip = null;
        try (InputStream in = InputFiles.open(file)) {
            LineReader lines = new LineReader(in);
            while (true) {
                CaptureRecord record;
                try {
                    if (!lines.next()) {
                        break;
                    }
                    if (lines.isBlank()) {
                        continue;
                    }
                    record = parser.parse(lines.bytes(), lines.length());
                } catch (InvalidRecordException e) {
                    long line = lines.number();
                    if (!options.lenient()) {
                        throw new MalformedInputException(file, line, e.getMessage());
                    }
                    skipped++;
                    if (firstSkip == null) {
                        firstSkip = file + ":" + line + ": " + e.getMessage();
                    }
                    continue;
                }
                sink.accept(record);
                records++;
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            // A gzip file cut short: what was read stays read.
            if (!options.lenient()) {
                throw new MalformedInputException(file, 0, "compressed data is damaged or cut short: " + e.getMessage());
            }
            skipped++;
            if (firstSkip == null) {
                firstSkip = file + ": compressed data is damaged or cut short";
            }
        }
        return new ReadStats(records, skipped, firstSkip);
    }
}
