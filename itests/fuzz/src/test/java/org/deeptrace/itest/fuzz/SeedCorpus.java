package org.deeptrace.itest.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.capture.pcap.internal.PcapInput;

/**
 * Writes the seed corpus of every fuzz target: one seed per connection of the plugin's golden pcaps (its chunks
 * and gaps as the pcap input delivers them, cut at {@link #MAX_SEED} bytes), plus the hand-written seeds of
 * protocols without a pcap. Regenerate after a golden pcap changes, from this module's folder:
 *
 * <pre>
 * mvn -B -q -o test-compile
 * java -cp target/test-classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *     org.deeptrace.itest.fuzz.SeedCorpus ../..
 * </pre>
 * Seeds are named {@code seed-*}; crashing inputs Jazzer finds land beside them (named {@code crash-*}) and are
 * kept as regression inputs.
 */
public final class SeedCorpus {

    /** libFuzzer's {@code -max_len} in the pom: longer seeds would be truncated anyway. */
    static final int MAX_SEED = 8192;
    private static final int MAX_CONNECTIONS_PER_PCAP = 4;

    private SeedCorpus() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : "../..").toAbsolutePath().normalize();
        Path resources = Path.of("src/test/resources/org/deeptrace/itest/fuzz");
        for (FuzzTargets.Target target : FuzzTargets.ALL) {
            Map<String, byte[]> seeds = new LinkedHashMap<>(handSeeds(target.plugin()));
            Path pcaps = repo.resolve("protocol-plugins").resolve(target.plugin()).resolve("src/test/resources")
                    .resolve(target.plugin());
            if (Files.isDirectory(pcaps)) {
                try (Stream<Path> files = Files.list(pcaps)) {
                    for (Path pcap : files.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList()) {
                        seeds.putAll(fromPcap(target.parser().get(), pcap));
                    }
                }
            }
            Path dir = resources.resolve(target.inputsFolder());
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Files.write(dir.resolve(seed.getKey()), seed.getValue());
            }
            System.out.println(target.plugin() + ": " + seeds.size() + " seeds in " + dir);
        }
    }

    /** One seed per connection (address pair) of {@code pcap}, origins decided by inference as the pipeline does. */
    static Map<String, byte[]> fromPcap(ProtocolParser protocol, Path pcap) throws IOException {
        Map<String, List<CaptureRecord>> connections = new LinkedHashMap<>();
        try {
            new PcapInput().read(pcap, new ReadOptions(false), r -> {
                String a = r.local();
                String b = r.remote();
                String key = r.l4() + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
                connections.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                return true;
            });
        } catch (Exception e) {
            throw new IOException(pcap + ": " + e.getMessage(), e);
        }
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        String base = pcap.getFileName().toString().replaceFirst("\\.pcap(ng)?$", "");
        int n = 0;
        for (List<CaptureRecord> records : connections.values()) {
            byte[] seed = seed(protocol, records);
            if (seed != null) {
                seeds.put("seed-" + base + "-" + n, seed);
                if (++n == MAX_CONNECTIONS_PER_PCAP) {
                    break;
                }
            }
        }
        return seeds;
    }

    private static byte[] seed(ProtocolParser protocol, List<CaptureRecord> records) {
        CaptureRecord first = records.stream().filter(r -> r.capturedSize() > 0).findFirst().orElse(null);
        if (first == null) {
            return null;
        }
        String firstSender = sender(first);
        String firstReceiver = first.direction() == Direction.EGRESS ? first.remote() : first.local();
        Inference verdict = protocol.infer(first.payload(), first.l4(), port(firstSender), port(firstReceiver));
        String client = verdict.matches() && verdict.sender() == Origin.SERVER ? firstReceiver : firstSender;
        List<FuzzInput.Step> steps = new ArrayList<>();
        int size = 1;
        for (CaptureRecord r : records) {
            Origin origin = sender(r).equals(client) ? Origin.CLIENT : Origin.SERVER;
            ByteBuffer payload = r.payload();
            byte[] bytes = new byte[Math.min(payload.remaining(), MAX_SEED - size - 3)];
            payload.get(bytes);
            if (bytes.length > 0) {
                steps.add(FuzzInput.Step.data(origin, bytes));
                size += 3 + bytes.length;
            }
            if (size + 3 >= MAX_SEED) {
                break;
            }
            if (r.size() > r.capturedSize()) {
                steps.add(FuzzInput.Step.gap(origin, r.size() - r.capturedSize()));
                size += 3;
            }
        }
        return FuzzInput.encode(first.l4() == org.deeptrace.api.model.Transport.UDP, steps);
    }

    /** Seeds for protocols that have no golden pcap (HTTP/1's tests feed hand-written bytes). */
    static Map<String, byte[]> handSeeds(String plugin) {
        if (!plugin.equals("http1")) {
            return Map.of();
        }
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-get", conversation(
                "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88\r\nAccept: */*\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello"));
        seeds.put("seed-post-chunked", conversation(
                "POST /api/v1/items HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n{\"id\":1234}",
                "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"));
        seeds.put("seed-keepalive", conversation(
                "GET /a HTTP/1.1\r\nHost: a\r\n\r\nHEAD /b HTTP/1.1\r\nHost: a\r\n\r\n",
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n"));
        seeds.put("seed-http10-close", conversation(
                "GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 500 Internal Server Error\r\n\r\nbody until close"));
        return seeds;
    }

    private static byte[] conversation(String request, String response) {
        return FuzzInput.encode(false, List.of(
                FuzzInput.Step.data(Origin.CLIENT, request.getBytes(StandardCharsets.US_ASCII)),
                FuzzInput.Step.data(Origin.SERVER, response.getBytes(StandardCharsets.US_ASCII))));
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
