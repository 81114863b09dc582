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

class ProtocolBaseTest {
    /** A UDP-only protocol claiming datagrams that start with 'U', throwing on empty ones. */
    static final class UdpOnly extends ProtocolBase {
        final List<Transport> asked = new ArrayList<>();

        UdpOnly() {
            super("U", Set.of(Transport.UDP));
        }

        @Override
        protected Inference inferOn(ByteBuffer firstBytes, Transport l4, int srcPort, int dstPort) {
            asked.add(l4);
            return firstBytes.get(firstBytes.position()) == 'U' ? Inference.of(0.9, Origin.CLIENT) : Inference.NO;
        }

        @Override
        public ConnectionParser open(ConnectionInfo connection) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void onlyItsTransportsAreAskedAndAThrowingInferenceIsNo() {
        UdpOnly u = new UdpOnly();
        assertEquals("U", u.protocol());
        assertEquals(Set.of(Transport.UDP), u.transports());
        assertSame(Inference.NO, u.infer(ByteBuffer.wrap(new byte[] {'U'}), Transport.TCP, 1, 2));
        assertEquals(0.9, u.infer(ByteBuffer.wrap(new byte[] {'U'}), Transport.UDP, 1, 2).confidence());
        assertSame(Inference.NO, u.infer(ByteBuffer.allocate(0), Transport.UDP, 1, 2));
        assertEquals(List.of(Transport.UDP, Transport.UDP), u.asked);
    }
}
