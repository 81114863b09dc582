package org.deeptrace.protocol.support.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.ConnectionParser;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.junit.jupiter.api.Test;

class TcpProtocolTest {
    /** Claims every TCP connection whose first byte is 'X', throws on an empty one; records what it was asked. */
    static final class XProtocol extends TcpProtocol {
        final List<String> asked = new ArrayList<>();

        XProtocol() {
            super("X");
        }

        @Override
        protected Inference inferTcp(ByteBuffer firstBytes, int srcPort, int dstPort) {
            asked.add(srcPort + ">" + dstPort);
            return firstBytes.get(firstBytes.position()) == 'X' ? Inference.of(0.9, Origin.CLIENT) : Inference.NO;
        }

        @Override
        public ConnectionParser open(ConnectionInfo connection) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void nameAndTransport() {
        XProtocol x = new XProtocol();
        assertEquals("X", x.protocol());
        assertEquals(Set.of(Transport.TCP), x.transports());
    }

    @Test
    void tcpIsAskedWithThePorts() {
        XProtocol x = new XProtocol();
        assertEquals(0.9, x.infer(ByteBuffer.wrap(new byte[] {'X'}), Transport.TCP, 1, 2).confidence());
        assertSame(Inference.NO, x.infer(ByteBuffer.wrap(new byte[] {'Y'}), Transport.TCP, 3, 4));
        assertEquals(List.of("1>2", "3>4"), x.asked);
    }

    @Test
    void udpIsNeverAskedAndAThrowingInferenceIsNo() {
        XProtocol x = new XProtocol();
        assertSame(Inference.NO, x.infer(ByteBuffer.wrap(new byte[] {'X'}), Transport.UDP, 1, 2));
        assertEquals(List.of(), x.asked);
        assertSame(Inference.NO, x.infer(ByteBuffer.allocate(0), Transport.TCP, 5, 6), "IndexOutOfBounds");
        assertEquals(List.of("5>6"), x.asked);
    }
}
