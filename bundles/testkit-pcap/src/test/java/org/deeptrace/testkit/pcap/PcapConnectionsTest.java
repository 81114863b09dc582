package org.deeptrace.testkit.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.ParserThroughput.Chunk;
import org.deeptrace.testkit.ParserThroughput.Connection;
import org.junit.jupiter.api.Test;

/** The archetype's example pcap (two connections to port 7070, see chunks.messages.jsonl) split into chunks. */
class PcapConnectionsTest {

    @Test
    void splitsThePcapIntoConnectionsAndOrigins() throws Exception {
        List<Connection> connections = PcapConnections.read("/golden/chunks.pcap", 7070);

        assertEquals(2, connections.size());
        List<Chunk> first = connections.get(0).chunks();
        assertEquals(Origin.CLIENT, first.get(0).origin());
        assertEquals(35, first.get(0).bytes().length);
        assertEquals("REQ ", new String(first.get(0).bytes(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(Origin.SERVER, first.get(1).origin());
        assertEquals(30, first.get(1).bytes().length);
        assertEquals(Origin.CLIENT, connections.get(1).chunks().get(0).origin());
        assertEquals(23, connections.get(1).chunks().get(0).bytes().length);
    }

    @Test
    void aMissingPcapIsAClearError() {
        assertThrows(java.io.IOException.class, () -> PcapConnections.read("/golden/none.pcap", 7070));
    }
}
