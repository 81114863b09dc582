package org.deeptrace.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.ConnectionInfo;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.deeptrace.capture.pcap.internal.PcapInput;
import org.deeptrace.protocol.brpc.internal.BrpcProtocol;
import org.deeptrace.protocol.dns.internal.DnsProtocol;
import org.deeptrace.protocol.dubbo.internal.DubboProtocol;
import org.deeptrace.protocol.fastcgi.internal.FcgiProtocol;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.deeptrace.protocol.http2.internal.Http2Protocol;
import org.deeptrace.protocol.redis.internal.RedisProtocol;
import org.deeptrace.protocol.sofarpc.internal.SofaRpcProtocol;
import org.deeptrace.protocol.someip.internal.SomeIpProtocol;
import org.deeptrace.protocol.tars.internal.TarsProtocol;
import org.deeptrace.protocol.thrift.internal.ThriftProtocol;
import org.deeptrace.protocol.tls.internal.TlsProtocol;

/**
 * Realistic payloads per protocol: the connections of the plugin's golden pcaps (HTTP/1, which has none: the
 * HTTP/1 connections of {@code bench/datasets/polyglot-c4}), as the chunks a pipeline would feed its parser:
 * consecutive TCP bytes of one sender coalesced into chunks of at most {@link #MAX_CHUNK} bytes (what one
 * read/write syscall carries), UDP datagrams as they are.
 */
final class ProtocolPayloads {

    static final int MAX_CHUNK = 16 * 1024;

    /** One chunk of a connection. */
    record Chunk(Origin origin, long offset, byte[] bytes) {
    }

    /** One connection: who is who, and its chunks in capture order. */
    record Connection(ConnectionInfo info, List<Chunk> chunks) {
    }

    /** A protocol's parser and the connections it is benchmarked on. */
    record Dataset(Supplier<ProtocolParser> parser, List<Connection> connections, long bytes) {
    }

    private static final Map<String, Supplier<ProtocolParser>> PARSERS = new LinkedHashMap<>();
    /**
     * Datasets that are a part of a plugin's pcaps: name -> (plugin folder, pcap file-name pattern). A plugin listed
     * here under its own name gets only the pcaps its pattern matches (Thrift: the binary/compact encodings, whose
     * figures predate THeader and JSON; those two are datasets of their own).
     */
    private static final Map<String, String[]> SUBSETS = Map.of(
            "thrift", new String[] {"thrift", "thrift-(binary|compact)-.*"},
            "thrift-header", new String[] {"thrift", "thrift-header-.*"},
            "thrift-json", new String[] {"thrift", "thrift-json-.*"});

    static {
        PARSERS.put("http1", Http1Protocol::new);
        PARSERS.put("http2", Http2Protocol::new);
        PARSERS.put("redis", RedisProtocol::new);
        PARSERS.put("dns", DnsProtocol::new);
        PARSERS.put("tls", TlsProtocol::new);
        PARSERS.put("thrift", ThriftProtocol::new);
        PARSERS.put("thrift-header", ThriftProtocol::new);
        PARSERS.put("thrift-json", ThriftProtocol::new);
        PARSERS.put("fastcgi", FcgiProtocol::new);
        PARSERS.put("brpc", BrpcProtocol::new);
        PARSERS.put("tars", TarsProtocol::new);
        PARSERS.put("someip", SomeIpProtocol::new);
        PARSERS.put("dubbo", DubboProtocol::new);
        PARSERS.put("sofarpc", SofaRpcProtocol::new);
    }

    private ProtocolPayloads() {
    }

    /** Loads the dataset of {@code protocol} (a plugin folder name) from the repository at {@code repo}. */
    static Dataset load(String protocol, Path repo) throws IOException {
        Supplier<ProtocolParser> parser = PARSERS.get(protocol);
        if (parser == null) {
            throw new IllegalArgumentException("unknown protocol " + protocol + ", known: " + PARSERS.keySet());
        }
        List<CaptureRecord> records = new ArrayList<>();
        if (protocol.equals("http1")) {
            read(new CaptureJsonlInput(), repo.resolve("bench/datasets/polyglot-c4.capture.jsonl.gz"), records);
        } else {
            String[] subset = SUBSETS.get(protocol);
            String plugin = subset == null ? protocol : subset[0];
            String names = subset == null ? ".*" : subset[1];
            Path dir = repo.resolve("protocol-plugins").resolve(plugin).resolve("src/test/resources").resolve(plugin);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path pcap : files.filter(p -> p.getFileName().toString().matches(names + "\\.pcap(ng)?$"))
                        .sorted().toList()) {
                    read(new PcapInput(), pcap, records);
                }
            }
        }
        ProtocolParser probe = parser.get();
        List<Connection> connections = new ArrayList<>();
        long bytes = 0;
        for (List<CaptureRecord> socket : bySocket(records).values()) {
            Connection c = connection(probe, socket);
            if (c != null) {
                connections.add(c);
                bytes += c.chunks().stream().mapToLong(ch -> ch.bytes().length).sum();
            }
        }
        if (connections.isEmpty()) {
            throw new IOException("no " + protocol + " connection in the payloads");
        }
        return new Dataset(parser, connections, bytes);
    }

    /** The repository root: {@code -Ddeeptrace.repo}, else the first folder up from here with protocol-plugins/. */
    static Path repo() {
        String configured = System.getProperty("deeptrace.repo");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("protocol-plugins"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from inside the repository or set -Ddeeptrace.repo=DIR");
    }

    private static void read(CaptureInput input, Path file, List<CaptureRecord> into) throws IOException {
        try {
            input.read(file, new CaptureInput.ReadOptions(false), r -> {
                into.add(r);
                return true;
            });
        } catch (Exception e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Groups records by connection (transport and address pair: a pcap shows both ends' sockets as one). */
    private static Map<String, List<CaptureRecord>> bySocket(List<CaptureRecord> records) {
        Map<String, List<CaptureRecord>> sockets = new LinkedHashMap<>();
        for (CaptureRecord r : records) {
            String a = r.local();
            String b = r.remote();
            String key = r.l4() + " " + r.tgid() + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
            sockets.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        return sockets;
    }

    /** The connection's chunks, the client decided by inference as the pipeline does; null if not this protocol. */
    private static Connection connection(ProtocolParser protocol, List<CaptureRecord> records) {
        CaptureRecord first = records.stream().filter(r -> r.capturedSize() > 0).findFirst().orElse(null);
        if (first == null) {
            return null;
        }
        String sender = sender(first);
        String receiver = first.direction() == Direction.EGRESS ? first.remote() : first.local();
        Inference verdict = protocol.infer(first.payload(), first.l4(), port(sender), port(receiver));
        if (!verdict.matches()) {
            return null;
        }
        boolean senderIsClient = verdict.sender() == Origin.CLIENT;
        String client = senderIsClient ? sender : receiver;
        ConnectionInfo info = new ConnectionInfo(first.l4(), client, senderIsClient ? receiver : sender,
                first.tgid(), first.comm());
        List<Chunk> chunks = new ArrayList<>();
        long[] offsets = new long[2];
        Origin pending = null;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (CaptureRecord r : records) {
            Origin origin = sender(r).equals(client) ? Origin.CLIENT : Origin.SERVER;
            ByteBuffer payload = r.payload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            if (bytes.length == 0) {
                continue;
            }
            boolean coalesce = r.l4() == Transport.TCP && origin == pending
                    && buffer.size() + bytes.length <= MAX_CHUNK;
            if (!coalesce && pending != null) {
                offsets[pending.ordinal()] = flush(chunks, pending, offsets[pending.ordinal()], buffer);
            }
            pending = origin;
            buffer.write(bytes, 0, bytes.length);
        }
        if (pending != null) {
            flush(chunks, pending, offsets[pending.ordinal()], buffer);
        }
        return new Connection(info, chunks);
    }

    private static long flush(List<Chunk> chunks, Origin origin, long offset, ByteArrayOutputStream buffer) {
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        chunks.add(new Chunk(origin, offset, bytes));
        return offset + bytes.length;
    }

    private static String sender(CaptureRecord r) {
        return r.direction() == Direction.EGRESS ? r.local() : r.remote();
    }

    private static int port(String address) {
        try {
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
