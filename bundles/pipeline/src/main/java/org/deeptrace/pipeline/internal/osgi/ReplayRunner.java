package org.deeptrace.pipeline.internal.osgi;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.runtime.ReplayReport;
import org.deeptrace.api.runtime.ReplayRequest;
import org.deeptrace.api.runtime.ReplayService;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.ProtocolRules;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Replays recorded input through a private pipeline with the registered plugins: same parsers, same correlator,
 * same span assembly as live capture, but driven by the file's own clock and finished deterministically.
 */
@Component(service = ReplayService.class)
public final class ReplayRunner implements ReplayService {
    private static final int HEAD_BYTES = 512;

    @Reference
    private PluginRegistry registry;

    @Reference
    private LivePipeline live;

    @Override
    public ReplayReport replay(ReplayRequest request) throws IOException, MalformedInputException {
        String algorithm = request.algorithm() != null ? request.algorithm() : live.settings().correlator();
        Correlator correlator = registry.correlator(algorithm);
        if (correlator == null) {
            throw new IllegalArgumentException("unknown correlator '" + algorithm + "'; available: "
                    + String.join(", ", registry.correlatorNames()));
        }
        CaptureInput[] formats = new CaptureInput[request.inputs().size()];
        for (int i = 0; i < formats.length; i++) {
            formats[i] = formatOf(request.inputs().get(i));
        }

        Counters counters = new Counters();
        try (JsonLines spansOut = JsonLines.open(request.spansOut());
                JsonLines messagesOut = JsonLines.open(request.messagesOut())) {
            Pipeline pipeline = new Pipeline(ParserCatalog.of(registry.parsers()), () -> correlator,
                    live.settings().pipeline(), counters,
                    messagesOut == null ? m -> { } : (L7Message m) -> messagesOut.write(RecordJson.message(m)),
                    spans -> {
                        if (spansOut != null) {
                            for (Span s : spans) {
                                spansOut.write(RecordJson.span(s));
                            }
                        }
                        if (request.publish()) {
                            live.publish(spans);
                        }
                    });
            ProtocolRules rules = live.settings().protocols();
            pipeline.setProtocolRules(rules);
            live.checkProtocolRules(rules); // warns what the live pipeline has not warned about yet
            long records = 0;
            long skipped = 0;
            List<MergedInputs.Source> sources = new ArrayList<>();
            for (int i = 0; i < formats.length; i++) {
                String host = request.hostOf(i);
                sources.add(new MergedInputs.Source(formats[i], request.inputs().get(i),
                        host != null ? host : live.settings().pipeline().host()));
            }
            for (CaptureInput.ReadStats stats : MergedInputs.read(sources,
                    new CaptureInput.ReadOptions(request.lenient()), pipeline::accept)) {
                records += stats.records();
                skipped += stats.skipped();
                if (stats.skipped() > 0) {
                    counters.add("input.skipped", stats.skipped());
                }
            }
            pipeline.finish();
            if (request.publish()) {
                live.drainSenders(10_000);
            }
            Map<String, Long> all = counters.snapshot();
            return new ReplayReport(records, skipped, counters.withPrefix("messages."), counters.withPrefix("spans."),
                    correlator.name(), counters.get("correlation.decisions"), counters.get("correlation.parented"), all);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The registered input format that accepts the file, judged by its first (decompressed) bytes. */
    private CaptureInput formatOf(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a capture file");
        }
        byte[] head;
        try (InputStream in = open(file)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(file.toString(), null, "permission denied");
        }
        if (head.length == 0) {
            throw new IllegalArgumentException(file + ": the file is empty, nothing to replay");
        }
        List<CaptureInput> inputs = registry.inputs();
        for (CaptureInput input : inputs) {
            if (input.accepts(file, head)) {
                return input;
            }
        }
        throw new IllegalArgumentException(file + ": not a capture file in a known format (known: "
                + String.join(", ", registry.inputFormats()) + ")");
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        in = new java.io.BufferedInputStream(in);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }

    /** A JSON Lines output file; null when no path was asked for. */
    private static final class JsonLines implements Closeable {
        private final Writer out;

        private JsonLines(Writer out) {
            this.out = out;
        }

        static JsonLines open(Path path) throws IOException {
            if (path == null) {
                return null;
            }
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new JsonLines(new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 1 << 16));
        }

        void write(String line) {
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
