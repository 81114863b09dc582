package org.deeptrace.testkit.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.L7Message;
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
        GoldenPcap g = new GoldenPcap();
        Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(parser)), () -> null,
                PipelineSettings.defaults("golden"), g.counters, g.messages::add, g.spans::addAll);
        new PcapInput().read(path(resource), new ReadOptions(false), r -> {
            pipeline.accept(r);
            return true;
        });
        pipeline.finish();
        return g;
    }

    /** Compares the messages with {@code <pcap name without extension>.messages.jsonl}, line by line. */
    public void assertMatchesGolden(String resource) throws Exception {
        List<String> actual = messages.stream().map(RecordJson::message).toList();
        Path pcap = path(resource);
        String name = pcap.getFileName().toString().replaceFirst("\\.pcapng$|\\.pcap$", ".messages.jsonl");
        if (Boolean.getBoolean("golden.update")) {
            Path source = Path.of("src/test/resources").resolve(resource.substring(1)).resolveSibling(name);
            Files.write(source, actual, StandardCharsets.UTF_8);
        }
        List<String> expected = Files.readAllLines(pcap.resolveSibling(name), StandardCharsets.UTF_8);
        assertEquals(String.join("\n", expected), String.join("\n", actual), "message records of " + resource);
    }

    public static Path path(String resource) throws URISyntaxException, IOException {
        var url = GoldenPcap.class.getResource(resource);
        if (url == null) {
            throw new IOException("no test resource " + resource);
        }
        return Path.of(url.toURI());
    }
}
