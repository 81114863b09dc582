package org.deeptrace.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Query-driven assembly across agents in the real distribution. rps100's three services ran on three hosts
 * (containers); each host's records go to its own agent ({@code deeptrace:replay HOST=FILE}), and agent a, with
 * the feature deeptrace-query-federation installed and the three agents configured, answers {@code /api/traces}
 * and {@code /api/traces/{id}} across them. The answers must equal those of one installation that replayed the
 * three hosts' files together (one pipeline assembling all hosts); {@code /api/dependencies} has the same calls
 * and process edges. Ports: 8381–8384 (HTTP), 8301–8304 (SSH).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryFederationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Four installations booting at once on a small machine. */
    private static final Duration BOOT = Duration.ofMinutes(10);
    /** rps100's processes: A (the front, 192.168.0.4) calls B and C. */
    private static final Map<Integer, String> HOSTS = Map.of(3056354, "a", 3056217, "b", 3056210, "c");
    private static final List<String> NAMES = List.of("a", "b", "c");

    private final Map<String, Path> files = new LinkedHashMap<>();
    private final Map<String, JsonNode> expected = new LinkedHashMap<>();
    private final List<Distribution> running = new ArrayList<>();

    private final Map<String, Distribution> agents = new LinkedHashMap<>();
    private Distribution reference;

    /** The reference and the three agents boot at once (the longest part of the test). */
    @BeforeAll
    void boot() throws Exception {
        splitByHost();
        reference = Distribution.freshCopy("federation-reference", 8381, 8301);
        for (int i = 0; i < NAMES.size(); i++) {
            agents.put(NAMES.get(i), Distribution.freshCopy("federation-" + NAMES.get(i), 8382 + i, 8302 + i));
        }
        Path cfg = agents.get("a").home().resolve("etc/org.deeptrace.query.federation.cfg");
        String text = Files.readString(cfg);
        String configured = text.replaceFirst("(?m)^agents\\s*=.*$",
                "agents = a=http://127.0.0.1:8382, b=http://127.0.0.1:8383, c=http://127.0.0.1:8384");
        assertTrue(!configured.equals(text), "the shipped cfg has an agents line");
        Files.writeString(cfg, configured);
        List<Distribution> all = new ArrayList<>(agents.values());
        all.add(reference);
        start(all);
    }

    @AfterAll
    void stopAll() throws Exception {
        for (Distribution d : new ArrayList<>(running)) {
            stop(d);
        }
    }

    @Test
    void aQueryServerOverThreeAgentsAnswersAsOnePipelineOverAllHosts() throws Exception {
        StringBuilder replayAll = new StringBuilder("deeptrace:replay --algo deeptrace");
        for (String host : NAMES) {
            replayAll.append(' ').append(host).append('=').append(files.get(host));
        }
        Distribution.Result r = reference.client(replayAll + "\n");
        assertEquals(0, r.code(), r.toString());
        for (Map.Entry<String, Distribution> a : agents.entrySet()) {
            r = a.getValue().client("deeptrace:replay --algo deeptrace " + a.getKey() + "=" + files.get(a.getKey())
                    + "\n");
            assertEquals(0, r.code(), r.toString());
        }
        awaitStored(reference);
        for (Distribution a : agents.values()) {
            awaitStored(a);
        }
        for (String query : queries(reference)) {
            expected.put(query, reference.json(query));
        }
        JsonNode referenceDependencies = reference.json("dependencies");
        JsonNode everything = reference.json("traces?limit=1000");
        for (int i : new int[] {0, 1, everything.size() / 2, everything.size() - 1}) {
            String id = "traces/" + everything.get(i).get("trace_id").asText();
            expected.put(id, reference.json(id));
        }
        stop(reference);

        Distribution server = agents.get("a");
        Distribution.Result installed = server.client("feature:install deeptrace-query-federation\n");
        assertEquals(0, installed.code(), installed.toString());
        JsonNode newest = expected.get("traces?limit=20").get(0);
        Distribution.await(WAIT, "the federated store to answer", () -> {
            try {
                // Until the feature is active, agent a answers from its own store: the front's fragments only.
                return newest.equals(server.json("traces?limit=1").get(0));
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
        for (Map.Entry<String, JsonNode> e : expected.entrySet()) {
            assertEquals(e.getValue(), server.json(e.getKey()), "federated answer to " + e.getKey());
        }
        // The query server's own counters, per agent, on /api/status and in deeptrace:status.
        JsonNode counters = server.json("status").get("counters");
        assertTrue(counters.get("store.federation.queries").asLong() >= expected.size(), counters.toString());
        assertTrue(counters.get("store.federation.rounds").asLong() > counters.get("store.federation.queries")
                .asLong(), "completion takes rounds after the first: " + counters);
        long wire = 0;
        long plain = 0;
        for (String agent : NAMES) {
            String p = "store.federation.agent." + agent + ".";
            assertTrue(counters.get(p + "requests").asLong() > 0, counters.toString());
            assertTrue(counters.get(p + "spans_received").asLong() > 0, counters.toString());
            assertEquals(0, counters.get(p + "failures").asLong(), counters.toString());
            wire += counters.get(p + "bytes_received").asLong();
            plain += counters.get(p + "bytes_received_uncompressed").asLong();
        }
        assertTrue(plain > wire, "span records travel gzip-compressed: " + counters);
        Distribution.Result status = server.client("deeptrace:status\n");
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains("store.federation.agent.b.bytes_received_uncompressed"), status.toString());
        // The shell's trace commands too answer from the federated store, installed after the local one.
        Distribution.Result traces = server.client("deeptrace:traces --limit 1\n");
        assertEquals(0, traces.code(), traces.toString());
        String row = traces.out().lines().filter(l -> l.contains(newest.get("trace_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no row of the newest trace: " + traces));
        // Columns: start | trace id | root | endpoint | spans | ...: the whole trace's span count, not agent a's part.
        List<String> cells = java.util.Arrays.stream(row.split("\\|")).map(String::strip).toList();
        assertEquals(newest.get("span_count").asText(), cells.get(cells.indexOf(newest.get("trace_id").asText()) + 3),
                traces.toString());
        // Merged from the agents' own graphs, callees on other hosts named by the process serving the address. One
        // pipeline names a call it could not link to a server span by the address instead: the same calls, the same
        // process edges, a call or so counted under the process rather than the address.
        JsonNode dependencies = server.json("dependencies");
        assertEquals(calls(referenceDependencies), calls(dependencies), dependencies.toString());
        assertEquals(edges(referenceDependencies, true), edges(dependencies, true), dependencies.toString());
        assertTrue(edges(referenceDependencies, false).containsAll(edges(dependencies, false)),
                dependencies.toString());
        // Each agent alone answers with its own fragments only: the federation is what joins them.
        JsonNode local = agents.get("b").json("traces?limit=1000");
        assertTrue(local.size() > 0);
        for (JsonNode t : local) {
            assertTrue(t.get("span_count").asInt() < newest.get("span_count").asInt(), "agent b alone: " + t);
        }
    }

    private static long calls(JsonNode dependencies) {
        long n = 0;
        for (JsonNode e : dependencies) {
            n += e.get("calls").asLong();
        }
        return n;
    }

    /** parent/pid → child/pid of the edges whose child is a process (or, with false, an address). */
    private static java.util.Set<String> edges(JsonNode dependencies, boolean processes) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (JsonNode e : dependencies) {
            if ((e.get("child_pid").asInt() != 0) == processes) {
                out.add(e.get("parent").asText() + "/" + e.get("parent_pid").asInt() + " -> " + e.get("child").asText()
                        + "/" + e.get("child_pid").asInt());
            }
        }
        return out;
    }

    private void splitByHost() throws Exception {
        Path dir = Files.createDirectories(Distribution.WORK.resolve("federation-files"));
        Map<String, BufferedWriter> out = new LinkedHashMap<>();
        for (String host : NAMES) {
            Path f = dir.resolve(host + ".capture.jsonl");
            files.put(host, f);
            out.put(host, Files.newBufferedWriter(f));
        }
        try {
            for (String line : Files.readAllLines(Distribution.SHARED.resolve("datasets/rps100.capture.jsonl"))) {
                if (line.isBlank()) {
                    continue;
                }
                String host = HOSTS.get(JSON.readTree(line).get("tgid").asInt());
                if (host != null) {
                    out.get(host).write(line);
                    out.get(host).write('\n');
                }
            }
        } finally {
            for (BufferedWriter w : out.values()) {
                w.close();
            }
        }
        for (Path f : files.values()) {
            assertTrue(Files.size(f) > 0, f + " is empty");
        }
    }

    /** Trace search as an operator does it, on the reference's own data. */
    private static List<String> queries(Distribution reference) throws Exception {
        JsonNode all = reference.json("traces?limit=1000");
        assertTrue(all.size() >= 280, "about one trace a request: " + all.size());
        long startMs = all.get(all.size() / 2).get("start_ns").asLong() / 1_000_000;
        return List.of("traces?limit=1000", "traces?limit=20", "traces?service=main&endpoint=/&limit=20",
                "traces?tag=tgid:3056217&limit=20", "traces?minDurationMs=2&limit=20",
                "traces?status=server_error&limit=20",
                "traces?start=" + startMs + "&end=" + (startMs + 1000) + "&limit=20");
    }

    private void start(List<Distribution> dists) throws Exception {
        running.addAll(dists);
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Distribution d : dists) {
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    d.start(BOOT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Void> s : starts) {
            s.join();
        }
    }

    private void stop(Distribution d) throws Exception {
        d.stop();
        running.remove(d);
    }

    /** Until the store's span count stops growing (the replay is asynchronous to the index's flushes). */
    private static void awaitStored(Distribution d) throws InterruptedException {
        long[] last = {-1, 0};
        Distribution.await(WAIT, "the replayed spans to be stored", () -> {
            try {
                HttpResponse<String> r = d.get("agent/size");
                long n = r.statusCode() == 200 ? JSON.readTree(r.body()).get("spans").asLong() : -1;
                if (n > 0 && n == last[0]) {
                    last[1]++;
                } else {
                    last[0] = n;
                    last[1] = 0;
                }
                Thread.sleep(500);
                return last[1] >= 4;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
