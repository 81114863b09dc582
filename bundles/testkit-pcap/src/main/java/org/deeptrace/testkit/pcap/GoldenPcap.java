package org.deeptrace.testkit.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.capture.pcap.internal.PcapInput;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;

/**
 * Replays a recorded pcap through the pcap input and the real pipeline with one protocol parser, as
 * {@code bin/deeptrace replay FILE.pcap --messages OUT} does, and compares the message records with the
 * checked-in {@code .messages.jsonl} beside the pcap. Run with {@code -Dgolden.update=true} to rewrite them
 * (then read the diff before committing it).
 */
public final class GoldenPcap {
    public final List<L7Message> messages = new ArrayList<>();
    public final List<Span> spans = new ArrayList<>();
    public final Counters counters = new Counters();

    public static GoldenPcap replay(ProtocolParser parser, String resource) throws Exception {
        return replay(parser, path(resource));
    }

    /** Like {@link #replay(ProtocolParser, String)}, for a pcap file that is not on the class path. */
    public static GoldenPcap replay(ProtocolParser parser, Path pcap) throws Exception {
        GoldenPcap g = new GoldenPcap();
        Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(parser)), () -> null,
                PipelineSettings.defaults("golden"), g.counters, g.messages::add, g.spans::addAll);
        new PcapInput().read(pcap, new ReadOptions(false), r -> {
            pipeline.accept(r);
            return true;
        });
        pipeline.finish();
        return g;
    }

    /**
     * Compares the messages with {@code <pcap name without extension>.messages.jsonl}, line by line. With
     * {@code -Dgolden.update=true} it first writes the actual records there, both into {@code src/test/resources}
     * (relative to the working directory, the project's directory under Maven) and beside the pcap on the class
     * path, so the first run of a new golden test creates its file and passes.
     */
    public void assertMatchesGolden(String resource) throws Exception {
        List<String> actual = messages.stream().map(RecordJson::message).toList();
        Path pcap = path(resource);
        String name = pcap.getFileName().toString().replaceFirst("\\.pcapng$|\\.pcap$", ".messages.jsonl");
        Path golden = pcap.resolveSibling(name);
        if (Boolean.getBoolean("golden.update")) {
            Path source = Path.of("src/test/resources").resolve(resource.substring(1)).resolveSibling(name);
            Files.createDirectories(source.getParent());
            Files.write(source, actual, StandardCharsets.UTF_8);
            Files.write(golden, actual, StandardCharsets.UTF_8);
        }
        if (!Files.exists(golden)) {
            throw new AssertionError("no golden file " + name + " beside " + resource + ": run the test once with"
                    + " -Dgolden.update=true to write it from the actual records, then read it before committing it");
        }
        List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
        assertEquals(String.join("\n", expected), String.join("\n", actual), "message records of " + resource);
    }

    /** The messages of one type (requests, responses, sessions, ...), in replay order. */
    public List<L7Message> messagesOfType(MessageType type) {
        return messages.stream().filter(m -> m.parsed().type() == type).toList();
    }

    /** The first span with this endpoint; fails the test when there is none. */
    public Span span(String endpoint) {
        return spans.stream().filter(s -> endpoint.equals(s.endpoint())).findFirst()
                .orElseThrow(() -> new AssertionError("no span with endpoint " + endpoint + " among " + spans.size()));
    }

    /** The value of a pipeline counter after the replay, 0 when it never moved (names: docs/counters.md). */
    public long counter(String name) {
        return counters.get(name);
    }

    /** The counters whose name starts with {@code prefix} (such as {@code "parse.malformed."}), prefix removed. */
    public Map<String, Long> countersStartingWith(String prefix) {
        return counters.withPrefix(prefix);
    }

    public static Path path(String resource) throws URISyntaxException, IOException {
        var url = GoldenPcap.class.getResource(resource);
        if (url == null) {
            throw new IOException("no test resource " + resource);
        }
        return Path.of(url.toURI());
    }
}
