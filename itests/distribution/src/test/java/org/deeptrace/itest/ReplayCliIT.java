package org.deeptrace.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code bin/deeptrace replay}: offline, without root, without a running container. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayCliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> SPAN_FIELDS = Set.of("span_id", "parent_span_id", "trace_id", "kind", "host", "tgid",
            "comm", "protocol", "local", "remote", "start_ns", "end_ns", "req_size", "resp_size", "endpoint",
            "request_type", "request_resource", "response_status", "response_code", "trace_id_header", "x_request_id");

    Distribution dist;
    Path work;

    @BeforeAll
    void copy() throws IOException {
        dist = Distribution.freshCopy("cli");
        work = Files.createDirectories(Distribution.WORK.resolve("cli-out"));
    }

    @Test
    void replaysRps100WithFifoIntoOneSpanPerHttpExchangeThatTheScorerMatches() throws Exception {
        Path spans = work.resolve("rps100.spans.jsonl");
        Path messages = work.resolve("rps100.messages.jsonl");
        Distribution.Result r = dist.run(work, "replay", Distribution.SHARED.resolve("datasets/rps100.capture.jsonl").toString(),
                "--algo", "fifo", "--spans", spans.toString(), "--messages", messages.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("3208"), "the summary counts the records read:\n" + r.out());
        assertTrue(r.out().contains("HTTP1"), r.out());

        List<String> lines = Files.readAllLines(spans);
        assertEquals(1604, lines.size(), "one span per exchange: 1,438 HTTP (863 server + 575 client) and 166 DNS");
        Set<String> ids = new TreeSet<>();
        java.util.Map<String, Integer> byProtocol = new java.util.TreeMap<>();
        for (String line : lines) {
            JsonNode s = JSON.readTree(line);
            byProtocol.merge(s.get("protocol").asText(), 1, Integer::sum);
            for (String field : SPAN_FIELDS) {
                assertTrue(s.has(field), "span lacks " + field + ": " + line);
            }
            assertTrue(s.get("span_id").asText().matches("[0-9a-f]{16}"), line);
            ids.add(s.get("span_id").asText());
        }
        assertEquals(lines.size(), ids.size(), "span ids are unique");
        assertEquals(java.util.Map.of("HTTP1", 1438, "DNS", 166), byProtocol);
        assertTrue(Files.readAllLines(messages).size() >= 2 * 1438);

        Score score = Score.of(Distribution.SHARED.resolve("datasets/rps100.truth.jsonl"), spans);
        assertEquals(1604, score.json().get("truth_matched").asInt(), "every span of the truth is matched: " + score.raw());
        assertEquals(1.0, score.json().get("coverage").asDouble(), score.raw());
        assertEquals(1.0, score.json().get("labelled_coverage").asDouble(), score.raw());
        assertEquals(0, score.json().get("project_unmatched").asInt(), "no span the truth lacks: " + score.raw());
        assertTrue(score.e2e() >= 0.75, "FIFO end-to-end accuracy: " + score.raw());
    }

    @Test
    void theSameInputGivesTheSameSpans() throws Exception {
        Path a = work.resolve("a.spans.jsonl");
        Path b = work.resolve("b.spans.jsonl");
        String input = Distribution.SHARED.resolve("datasets/rps100-blind.capture.jsonl").toString();
        assertEquals(0, dist.run(work, "replay", input, "--spans", a.toString()).code());
        assertEquals(0, dist.run(work, "replay", input, "--spans", b.toString()).code());
        assertEquals(Files.readAllLines(a), Files.readAllLines(b));
    }

    @Test
    void malformedInputGivesAClearErrorAndNoStackTrace() throws Exception {
        String good = Files.readAllLines(Distribution.SHARED.resolve("datasets/rps100.capture.jsonl")).get(0);
        Path truncated = Files.writeString(work.resolve("truncated.capture.jsonl"), good + "\n" + good.substring(0, 60) + "\n");
        Path garbage = Files.write(work.resolve("garbage.bin"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, 3, (byte) 0xff});
        Path empty = Files.writeString(work.resolve("empty.capture.jsonl"), "");
        Path missing = work.resolve("does-not-exist.jsonl");

        Distribution.Result r = dist.run(work, "replay", truncated.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(truncated + ":2:"), "names file and line:\n" + r);
        assertTrue(r.err().contains("--lenient"), "suggests --lenient:\n" + r);
        assertNoStackTrace(r);

        for (Path bad : List.of(garbage, empty, missing)) {
            Distribution.Result e = dist.run(work, "replay", bad.toString());
            assertNotEquals(0, e.code(), e.toString());
            assertTrue(e.err().contains(bad.toString()), "names the file:\n" + e);
            assertNoStackTrace(e);
        }

        Distribution.Result lenient = dist.run(work, "replay", truncated.toString(), "--lenient");
        assertEquals(0, lenient.code(), lenient.toString());
        assertTrue(lenient.out().toLowerCase().contains("skipped"), lenient.out());

        Distribution.Result unknownAlgo = dist.run(work, "replay", truncated.toString(), "--lenient", "--algo", "nope");
        assertNotEquals(0, unknownAlgo.code());
        assertTrue(unknownAlgo.err().contains("nope") && unknownAlgo.err().contains("fifo"), unknownAlgo.toString());
        assertNoStackTrace(unknownAlgo);
    }

    static void assertNoStackTrace(Distribution.Result r) {
        assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), "no stack trace:\n" + r);
        assertFalse(r.err().contains("Exception") || r.out().contains("Exception"), "no exception names:\n" + r);
    }

    /** The shared scorer's verdict. */
    record Score(JsonNode json, String raw) {
        static Score of(Path truth, Path spans) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("python3", Distribution.SHARED.resolve("tools/score-correlation").toString(),
                    truth.toString(), spans.toString(), "--json").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), out);
            return new Score(JSON.readTree(out), out);
        }

        double e2e() {
            return json.get("e2e").asDouble();
        }
    }
}
