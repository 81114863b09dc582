package org.deeptrace.testkit.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.ProtocolParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiblingTrafficTest {

    /** Recognises nothing: it never claims a connection. */
    static final class NothingProtocol implements ProtocolParser {
        @Override
        public String protocol() {
            return "Nothing";
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.TCP, Transport.UDP);
        }

        @Override
        public Inference infer(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
            return Inference.NO;
        }

        @Override
        public ConnectionParser open(ConnectionInfo connection) {
            throw new AssertionError("never inferred, never opened");
        }
    }

    @Test
    void aParserThatClaimsTheTrafficFailsNamingThePcap() throws Exception {
        Path pcap = GoldenPcap.path("/golden/chunks.pcap");
        AssertionError e = assertThrows(AssertionError.class,
                () -> SiblingTraffic.assertNoneClaimed(new GoldenPcapTest.ChunkProtocol(), List.of(pcap)));
        assertTrue(e.getMessage().contains("chunks.pcap"), e.getMessage());
    }

    @Test
    void aParserThatClaimsNothingPasses() throws Exception {
        SiblingTraffic.assertNoneClaimed(new NothingProtocol(), List.of(GoldenPcap.path("/golden/chunks.pcap")));
    }

    @Test
    void noPcapsAtAllIsAFailureNotAVacuousPass() {
        assertThrows(AssertionError.class, () -> SiblingTraffic.assertNoneClaimed(new NothingProtocol(), List.of()));
    }

    @Test
    void siblingsAreTheOtherModulesTestPcaps(@TempDir Path modules) throws Exception {
        Path self = modules.resolve("self");
        for (String file : List.of("self/src/test/resources/self/a.pcap", "other/src/test/resources/o/b.pcap",
                "other/src/test/resources/o/b.messages.jsonl", "third/src/test/resources/t/c.pcapng",
                "third/src/main/resources/d.pcap")) {
            Path p = modules.resolve(file);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[0]);
        }
        assertEquals(List.of(modules.resolve("other/src/test/resources/o/b.pcap"),
                modules.resolve("third/src/test/resources/t/c.pcapng")), SiblingTraffic.siblingPcaps(modules, self));
    }

    @Test
    void aMissingExpectedSiblingFails() {
        // run from bundles/testkit-pcap: no sibling module has a pcap named like this
        AssertionError e = assertThrows(AssertionError.class,
                () -> SiblingTraffic.assertNoneClaimed(new NothingProtocol(), "no-such-fixture-anywhere"));
        assertTrue(e.getMessage().contains("no-such-fixture-anywhere"), e.getMessage());
    }
}
