package org.deeptrace.testkit.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.protocol.ProtocolParser;

/**
 * No false positives on real traffic of other protocols: the golden pcaps of the sibling plugin modules, replayed
 * through the pipeline with one parser alone, must give no message at all.
 *
 * <pre>{@code
 * SiblingTraffic.assertNoneClaimed(new MyProtocol(), "redis", "h2c", "tls13", "dns-tcp");
 * }</pre>
 *
 * <p>The siblings are the {@code .pcap}/{@code .pcapng} files under {@code src/test/resources} of the other modules
 * beside this one (Maven runs the tests in the module directory, so that is {@code ..}, without the module itself).
 * A sibling pcap the pcap input rejects is skipped: a broken fixture is its own module's test failure.
 */
public final class SiblingTraffic {
    private SiblingTraffic() {
    }

    /**
     * Replays every sibling pcap through {@code parser} alone and fails on the first pcap it claims any message of.
     *
     * @param mustInclude fragments of pcap paths that must be among the siblings, so that a moved or renamed
     *                    directory cannot quietly make the test vacuous
     */
    public static void assertNoneClaimed(ProtocolParser parser, String... mustInclude) throws Exception {
        List<Path> pcaps = siblingPcaps(Path.of("..").toAbsolutePath().normalize(),
                Path.of("").toAbsolutePath().normalize());
        for (String fragment : mustInclude) {
            if (pcaps.stream().noneMatch(p -> p.toString().contains(fragment))) {
                throw new AssertionError("no sibling pcap whose path contains \"" + fragment + "\" among " + pcaps);
            }
        }
        assertNoneClaimed(parser, pcaps);
    }

    static void assertNoneClaimed(ProtocolParser parser, List<Path> pcaps) throws Exception {
        if (pcaps.isEmpty()) {
            throw new AssertionError("no sibling pcaps to replay");
        }
        for (Path pcap : pcaps) {
            List<L7Message> messages;
            try {
                messages = GoldenPcap.replay(parser, pcap).messages;
            } catch (MalformedInputException e) {
                continue;
            }
            assertEquals(List.of(), messages, pcap.toString());
        }
    }

    /** The pcaps under {@code src/test/resources} of the modules in {@code modules}, except {@code self}'s. */
    static List<Path> siblingPcaps(Path modules, Path self) throws IOException {
        try (Stream<Path> files = Files.walk(modules, 6)) {
            return files.filter(p -> !p.startsWith(self) && p.toString().contains("/src/test/resources/")
                    && (p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))).sorted().toList();
        }
    }
}
