package org.deeptrace.itest.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** JSON Lines records (capture records, message records, span records) and their comparison. */
final class Records {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Fields of a span that depend on the recording (ids, times, process), not on the traffic. */
    static final Set<String> SPAN_RECORDING_FIELDS = Set.of("span_id", "parent_span_id", "trace_id", "host", "tgid",
            "tid", "comm", "start_ns", "end_ns", "correlation");

    private Records() {
    }

    static List<ObjectNode> read(Path jsonl) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        if (!Files.exists(jsonl)) {
            return out;
        }
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add((ObjectNode) JSON.readTree(line));
            }
        }
        return out;
    }

    /**
     * Keeps the capture records of the servers' side of the traffic, those whose local port is one of
     * {@code serverPorts}: the capture follows processes by name, which may take in the clients too, and
     * each message must be seen once, as tcpdump's port filter sees each packet once.
     */
    static Path serverSide(Path capture, Set<Integer> serverPorts, Path out) throws IOException {
        return select(capture, r -> {
            String local = r.path("local").asText("");
            int colon = local.lastIndexOf(':');
            return colon > 0 && serverPorts.contains(Integer.parseInt(local.substring(colon + 1)));
        }, out);
    }

    /**
     * Keeps the capture records of the clients' side of the traffic, those whose remote port is one of
     * {@code serverPorts}: the same traffic as {@link #serverSide}, seen through the clients' syscalls.
     */
    static Path clientSide(Path capture, Set<Integer> serverPorts, Path out) throws IOException {
        return select(capture, r -> serverPorts.contains(port(r.path("remote").asText(""))), out);
    }

    private static int port(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
    }

    /**
     * A client span as the server span of the same call would read: kind {@code server}, local and remote
     * swapped (to compare a client's view of calls with the server's or the pcap's).
     */
    static ObjectNode asServerView(ObjectNode clientSpan) {
        ObjectNode copy = clientSpan.deepCopy();
        copy.put("kind", "server");
        copy.set("local", clientSpan.get("remote"));
        copy.set("remote", clientSpan.get("local"));
        return copy;
    }

    /** Copies the capture records {@code keep} selects into {@code out}. */
    static Path select(Path capture, Predicate<JsonNode> keep, Path out) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String line : Files.readAllLines(capture, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && keep.test(JSON.readTree(line))) {
                    w.write(line);
                    w.newLine();
                }
            }
        }
        return out;
    }

    /** The records without {@code drop} fields, one canonical line each, sorted: an order-free comparison. */
    static List<String> project(Collection<ObjectNode> records, Collection<String> drop) {
        List<String> out = new ArrayList<>();
        for (ObjectNode r : records) {
            ObjectNode copy = r.deepCopy();
            copy.remove(drop);
            out.add(copy.toString());
        }
        out.sort(null);
        return out;
    }

    static List<ObjectNode> filter(List<ObjectNode> records, Predicate<ObjectNode> keep) {
        return records.stream().filter(keep).toList();
    }

    static Predicate<ObjectNode> protocol(String... names) {
        Set<String> set = Set.of(names);
        return r -> set.contains(r.path("protocol").asText());
    }

    /**
     * Selects, by identity, the earliest record (by {@code tsField}) of each {@code key} among the records
     * {@code among} selects: e.g. the first request of each connection.
     */
    static Predicate<ObjectNode> firstOfEach(List<ObjectNode> records, Predicate<ObjectNode> among,
            Function<ObjectNode, String> key, String tsField) {
        Map<String, ObjectNode> first = new LinkedHashMap<>();
        records.stream().filter(among).sorted(Comparator.comparingLong(r -> r.path(tsField).asLong()))
                .forEach(r -> first.putIfAbsent(key.apply(r), r));
        List<ObjectNode> chosen = List.copyOf(first.values());
        return r -> chosen.stream().anyMatch(c -> c == r);
    }

    static void assertSame(String what, List<String> expected, List<String> actual) {
        assertEquals(String.join("\n", expected), String.join("\n", actual), what);
    }

    /** The golden message records a plugin's pcap test checks, from the source tree. */
    static List<ObjectNode> golden(String plugin, String... files) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String f : files) {
            Path p = LiveEnv.plugin(plugin).resolve("src/test/resources").resolve(plugin).resolve(f);
            if (!Files.exists(p)) {
                throw new AssertionError("no golden file " + p);
            }
            out.addAll(read(p));
        }
        return out;
    }
}
