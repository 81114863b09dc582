package org.deeptrace.capture.pcap.internal;

import java.util.HashMap;
import java.util.Map;
import org.deeptrace.api.model.Transport;

/**
 * Decides which end of each flow is the server, so a flow can be presented the way a capture on the server's
 * socket would show it.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>a TCP SYN without ACK names its receiver the server (a later SYN on the same addresses starts a new
 *       connection and decides anew);</li>
 *   <li>a SYN+ACK names its sender the server, unless a SYN already decided;</li>
 *   <li>otherwise (handshake not captured, or UDP) the end with the lower port is the server: well-known and
 *       registered ports are lower than the ephemeral ports clients get; with equal ports, the receiver of the
 *       flow's first packet.</li>
 * </ol>
 * A decision made by the port rule is revised by a SYN or SYN+ACK seen later.
 */
final class FlowSides {
    private final Map<FlowKey, Decision> servers = new HashMap<>();

    /** The server end ({@code ip:port}) of the packet's flow. */
    String serverOf(Packet p) {
        FlowKey key = FlowKey.of(p);
        Decision known = servers.get(key);
        if (p.l4() == Transport.TCP && p.syn()) {
            if (!p.ack()) {
                servers.put(key, new Decision(p.dst(), Source.SYN));
                return p.dst();
            }
            if (known == null || known.source != Source.SYN) {
                servers.put(key, new Decision(p.src(), Source.SYN_ACK));
                return p.src();
            }
            return known.server;
        }
        if (known != null) {
            return known.server;
        }
        String server = p.srcPort() < p.dstPort() ? p.src() : p.dst();
        servers.put(key, new Decision(server, Source.PORTS));
        return server;
    }

    private enum Source { SYN, SYN_ACK, PORTS }

    private record Decision(String server, Source source) {
    }

    /** The flow's two ends in a fixed order, whichever sent the packet. */
    private record FlowKey(Transport l4, String a, String b) {
        static FlowKey of(Packet p) {
            return p.src().compareTo(p.dst()) <= 0 ? new FlowKey(p.l4(), p.src(), p.dst())
                    : new FlowKey(p.l4(), p.dst(), p.src());
        }
    }
}
