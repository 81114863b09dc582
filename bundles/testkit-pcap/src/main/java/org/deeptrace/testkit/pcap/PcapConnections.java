package org.deeptrace.testkit.pcap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.capture.pcap.internal.PcapInput;
import org.deeptrace.testkit.ParserThroughput;
import org.deeptrace.testkit.ParserThroughput.Chunk;
import org.deeptrace.testkit.ParserThroughput.Connection;

/**
 * The TCP connections of a recorded pcap as chunks per origin, in capture order, for
 * {@link ParserThroughput}:
 *
 * <pre>{@code
 * ParserThroughput.of(MyParser::new).run(PcapConnections.read("/my/golden.pcap", 18002)).print("My");
 * }</pre>
 *
 * <p>A chunk's origin is {@link Origin#SERVER} when its sender's port is one of the server ports, else
 * {@link Origin#CLIENT}; a connection is identified by its client endpoint. Empty chunks (handshakes, bare acks) and
 * TCP retransmissions (a second chunk of the same origin with the same sequence number) are left out.
 */
public final class PcapConnections {
    private PcapConnections() {
    }

    public static List<Connection> read(String resource, int... serverPorts) throws Exception {
        Set<Integer> servers = new HashSet<>();
        for (int port : serverPorts) {
            servers.add(port);
        }
        Map<String, List<Chunk>> byClient = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        new PcapInput().read(GoldenPcap.path(resource), new ReadOptions(false), r -> {
            if (r.capturedSize() > 0 && r.l4() == Transport.TCP) {
                String sender = r.direction() == Direction.EGRESS ? r.local() : r.remote();
                String receiver = r.direction() == Direction.EGRESS ? r.remote() : r.local();
                boolean fromServer = servers.contains(port(sender));
                String client = fromServer ? receiver : sender;
                if (r.tcpSeq() == CaptureRecord.ABSENT || seen.add(client + ' ' + fromServer + ' ' + r.tcpSeq())) {
                    ByteBuffer p = r.payload();
                    byte[] bytes = new byte[p.remaining()];
                    p.get(bytes);
                    byClient.computeIfAbsent(client, c -> new ArrayList<>())
                            .add(new Chunk(fromServer ? Origin.SERVER : Origin.CLIENT, bytes));
                }
            }
            return true;
        });
        if (byClient.isEmpty()) {
            throw new AssertionError("no TCP payload in " + resource);
        }
        return byClient.values().stream().map(Connection::new).toList();
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
