import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SYNTHETIC SOME/IP traffic, not from a real SOME/IP implementation: no SOME/IP stack (vsomeip, someipy, ...)
 * is installable here. Messages are encoded by this program following the SOME/IP specification (AUTOSAR
 * PRS_SOMEIPProtocol, PRS_SOMEIPServiceDiscoveryProtocol) and sent over real loopback TCP and UDP sockets, so the
 * pcap has real TCP/UDP framing, but the SOME/IP bytes are ours.
 *
 * <p>Run (JDK 17 source-file mode, no build): {@code java SomeIpTraffic.java} (see record.sh). The ports come from
 * the environment (SD_PORT, SD_CLIENT_PORT, TCP_PORT, UDP_PORT), by default SOME/IP's: SD on 30490 at both ends,
 * the services on 30501 (TCP) and 30502 (UDP). itests/live-protocols runs it on others.
 */
public final class SomeIpTraffic {
    static final int SERVICE = 0x1234;
    static final int TCP_PORT = port("TCP_PORT", 30501);
    static final int UDP_PORT = port("UDP_PORT", 30502);
    static final int SD_PORT = port("SD_PORT", 30490);
    static final int SD_CLIENT_PORT = port("SD_CLIENT_PORT", SD_PORT);
    /** SOME/IP-TP: the largest segment payload that keeps a UDP message within 1400 bytes, 87 x 16. */
    static final int TP_SEGMENT = 1392;

    static int port(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    /** One SOME/IP message: the 16-byte header and the payload. */
    static byte[] message(int service, int method, int client, int session, int iface, int type, int rc,
            byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length)
                .putShort((short) service).putShort((short) method)
                .putInt(8 + payload.length)
                .putShort((short) client).putShort((short) session)
                .put((byte) 1).put((byte) iface).put((byte) type).put((byte) rc)
                .put(payload).array();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        parts.forEach(o::writeBytes);
        return o.toByteArray();
    }

    /** A SOME/IP-SD message with one entry (type, service, instance 1, major 1, ttl, minor 0 or eventgroup). */
    static byte[] sd(int session, int entryType, int service, int ttl, int last32) {
        ByteBuffer entries = ByteBuffer.allocate(16).put((byte) entryType).put((byte) 0).put((byte) 0)
                .put((byte) 0).putShort((short) service).putShort((short) 1).put((byte) 1)
                .put((byte) (ttl >>> 16)).put((byte) (ttl >>> 8)).put((byte) ttl).putInt(last32);
        ByteBuffer payload = ByteBuffer.allocate(4 + 4 + 16 + 4).put((byte) 0xC0).put(new byte[3]).putInt(16)
                .put(entries.array()).putInt(0); // no options
        return message(0xFFFF, 0x8100, 0x0000, session, 1, 0x02, 0x00, payload.array());
    }

    public static void main(String[] args) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        serviceDiscovery();
        tcp(lo);
        udp(lo);
    }

    /** SD over UDP between 127.0.0.1:SD_CLIENT_PORT (client) and 127.0.0.2:SD_PORT (service), unicast. */
    static void serviceDiscovery() throws IOException {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", SD_CLIENT_PORT));
                DatagramSocket service = new DatagramSocket(new InetSocketAddress("127.0.0.2", SD_PORT))) {
            InetSocketAddress toService = new InetSocketAddress("127.0.0.2", SD_PORT);
            InetSocketAddress toClient = new InetSocketAddress("127.0.0.1", SD_CLIENT_PORT);
            send(client, toService, sd(1, 0x00, SERVICE, 3, 0xFFFFFFFF)); // FindService
            receive(service);
            send(service, toClient, sd(1, 0x01, SERVICE, 3, 0)); // OfferService
            receive(client);
            send(client, toService, sd(2, 0x06, SERVICE, 3, 0x0001 << 16 | 0x0001)); // SubscribeEventgroup 1
            receive(service);
            send(service, toClient, sd(2, 0x07, SERVICE, 3, 0x0001 << 16 | 0x0001)); // SubscribeEventgroupAck
            receive(client);
            send(service, toClient, sd(3, 0x01, SERVICE, 0, 0)); // StopOfferService
            receive(client);
        }
    }

    static void tcp(InetAddress lo) throws Exception {
        try (ServerSocket server = new ServerSocket(TCP_PORT, 10, lo)) {
            Thread t = new Thread(() -> serveTcp(server));
            t.start();
            try (Socket s = new Socket(lo, TCP_PORT)) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                // a magic cookie first, as a TCP client may send to allow resync
                out.write(message(0xFFFF, 0x0000, 0xDEAD, 0xBEEF, 1, 0x01, 0x00, new byte[0]));
                out.write(message(SERVICE, 0x0001, 0x0010, 1, 1, 0x00, 0, text("getSpeed")));
                read(in, 1);
                out.write(message(SERVICE, 0x0002, 0x0010, 2, 1, 0x00, 0, text("nope")));
                read(in, 1);
                out.write(message(SERVICE, 0x0003, 0x0010, 3, 1, 0x01, 0, text("fire and forget")));
                List<byte[]> pipelined = new ArrayList<>();
                for (int session = 4; session < 8; session++) {
                    pipelined.add(message(SERVICE, 0x0001, 0x0010, session, 1, 0x00, 0, text("q" + session)));
                }
                out.write(concat(pipelined)); // four requests in one write; answered in reverse order
                read(in, 4);
                // a 3000-byte request as three SOME/IP-TP segments (1392 + 1392 + 216 bytes of payload)
                for (byte[] segment : segments(SERVICE, 0x0004, 0x0010, 8, 1, 0x00, 0, new byte[3000])) {
                    out.write(segment);
                }
                read(in, 2); // the response and an event notification
            }
            t.join();
        }
    }

    static void serveTcp(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            List<byte[]> held = new ArrayList<>();
            while (true) {
                byte[] header = new byte[16];
                in.readFully(header);
                ByteBuffer h = ByteBuffer.wrap(header);
                int method = h.getShort(2) & 0xFFFF;
                int length = h.getInt(4);
                int client = h.getShort(8) & 0xFFFF;
                int session = h.getShort(10) & 0xFFFF;
                int type = header[14] & 0xFF;
                byte[] payload = new byte[length - 8];
                in.readFully(payload);
                if (h.getInt(0) == 0xFFFF0000 || type == 0x01) {
                    continue; // magic cookie, fire and forget
                }
                if (type == 0x20) { // a TP segment: answer after the last one
                    if ((payload[3] & 1) == 0) {
                        out.write(message(SERVICE, method, client, session, 1, 0x80, 0, text("stored")));
                        out.write(message(SERVICE, 0x8001, 0x0000, 1, 1, 0x02, 0, text("speed=42")));
                        return;
                    }
                    continue;
                }
                if (method == 0x0002) {
                    out.write(message(SERVICE, method, client, session, 1, 0x81, 0x03, new byte[0]));
                } else if (session >= 4 && session < 8) {
                    held.add(message(SERVICE, method, client, session, 1, 0x80, 0, text("r" + session)));
                    if (held.size() == 4) {
                        Collections.reverse(held);
                        out.write(concat(held));
                    }
                } else {
                    out.write(message(SERVICE, method, client, session, 1, 0x80, 0, text("88 km/h")));
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /**
     * The SOME/IP-TP segments of one original message: TP flag in the message type, the TP header (offset, More
     * Segments flag) before each segment of {@link #TP_SEGMENT} bytes (the last one shorter).
     */
    static List<byte[]> segments(int service, int method, int client, int session, int iface, int type, int rc,
            byte[] payload) {
        List<byte[]> out = new ArrayList<>();
        for (int offset = 0; offset < payload.length; offset += TP_SEGMENT) {
            int n = Math.min(TP_SEGMENT, payload.length - offset);
            boolean more = offset + n < payload.length;
            ByteBuffer seg = ByteBuffer.allocate(4 + n).putInt(offset | (more ? 1 : 0)).put(payload, offset, n);
            out.add(message(service, method, client, session, iface, type | 0x20, rc, seg.array()));
        }
        return out;
    }

    /**
     * Two requests in one datagram, answered by two responses in one datagram; a request answered E_NOT_READY;
     * then SOME/IP-TP over UDP: a 4000-byte request in three segments, the second sent twice (as a sender that
     * repeats a datagram would), answered by a 2000-byte response in two segments sent last first (as a network
     * that reorders datagrams would deliver them; a conforming sender sends them in ascending order).
     */
    static void udp(InetAddress lo) throws IOException {
        try (DatagramSocket service = new DatagramSocket(new InetSocketAddress(lo, UDP_PORT));
                DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            InetSocketAddress toService = new InetSocketAddress(lo, UDP_PORT);
            send(client, toService, concat(List.of(
                    message(0x4321, 0x0001, 0x0020, 0x0101, 2, 0x00, 0, text("a")),
                    message(0x4321, 0x0002, 0x0020, 0x0102, 2, 0x00, 0, text("bb")))));
            DatagramPacket got = receive(service);
            send(service, (InetSocketAddress) got.getSocketAddress(), concat(List.of(
                    message(0x4321, 0x0001, 0x0020, 0x0101, 2, 0x80, 0, text("A")),
                    message(0x4321, 0x0002, 0x0020, 0x0102, 2, 0x80, 0, text("BB")))));
            receive(client);
            send(client, toService, message(0x4321, 0x0003, 0x0020, 0x0103, 2, 0x00, 0, text("c")));
            got = receive(service);
            send(service, (InetSocketAddress) got.getSocketAddress(),
                    message(0x4321, 0x0003, 0x0020, 0x0103, 2, 0x81, 0x04, new byte[0]));
            receive(client);

            List<byte[]> request = segments(0x4321, 0x0004, 0x0020, 0x0104, 2, 0x00, 0, new byte[4000]);
            List<byte[]> sent = List.of(request.get(0), request.get(1), request.get(1), request.get(2));
            for (byte[] segment : sent) {
                send(client, toService, segment);
            }
            for (int i = 0; i < sent.size(); i++) {
                got = receive(service);
            }
            List<byte[]> response = new ArrayList<>(segments(0x4321, 0x0004, 0x0020, 0x0104, 2, 0x80, 0,
                    new byte[2000]));
            Collections.reverse(response);
            for (byte[] segment : response) {
                send(service, (InetSocketAddress) got.getSocketAddress(), segment);
            }
            for (int i = 0; i < response.size(); i++) {
                receive(client);
            }
        }
    }

    static void send(DatagramSocket s, InetSocketAddress to, byte[] bytes) throws IOException {
        s.send(new DatagramPacket(bytes, bytes.length, to));
    }

    static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.setSoTimeout(5000);
        s.receive(p);
        return p;
    }

    static void read(DataInputStream in, int messages) throws IOException {
        for (int i = 0; i < messages; i++) {
            byte[] header = new byte[16];
            in.readFully(header);
            in.readFully(new byte[ByteBuffer.wrap(header).getInt(4) - 8]);
        }
    }
}
