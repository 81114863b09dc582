package org.deeptrace.sender.opensearch.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;

/** Spans for the tests: the rps100 dataset's true spans (src/test/resources, from /work/shared/datasets), or made up. */
final class TestSpans {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9]+|null)");

    private TestSpans() {
    }

    /** The 1,604 spans of rps100 (three Go services over HTTP/1 and DNS), ids {@code rps100-NNNN}. */
    static List<Span> rps100() {
        List<Span> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TestSpans.class.getResourceAsStream("/rps100.truth.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Map<String, String> f = new HashMap<>();
                Matcher m = FIELD.matcher(line);
                while (m.find()) {
                    f.put(m.group(1), m.group(2).replace("\"", ""));
                }
                boolean http = "HTTP1".equals(f.get("protocol"));
                String trace = f.get("trace");
                out.add(new Span(String.format("%016x", 0x7270730000000000L + out.size()), null, null,
                        "server".equals(f.get("kind")) ? SpanKind.SERVER : SpanKind.CLIENT, "rps100",
                        Integer.parseInt(f.get("tgid")), 0, "main", f.get("protocol"),
                        http ? Transport.TCP : Transport.UDP, f.get("local"), f.get("remote"),
                        Long.parseLong(f.get("start_ns")), Long.parseLong(f.get("end_ns")), 92, 140,
                        http ? "GET /" : "A", http ? "GET" : "QUERY", http ? "/" : "service-b", ResponseStatus.OK,
                        http ? 200 : 0, null, "null".equals(trace) ? null : trace,
                        new Correlation("fifo", 0.75, 2)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code count} made-up HTTP spans with ids derived from {@code base + i}, starting at wall-clock {@code startNs}. */
    static List<Span> synthetic(long base, int count, long startNs) {
        List<Span> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start = startNs + i * 1_000_000L;
            out.add(new Span(String.format("%016x", base + i), null, null, SpanKind.SERVER, "test-host", 4242, 4243,
                    "svc", "HTTP1", Transport.TCP, "10.0.0.1:8080", "10.0.0.2:" + (30000 + i % 1000), start,
                    start + 250_000L + i, 120, 512, "GET /api/items", "GET", "/api/items/" + i, ResponseStatus.OK, 200,
                    null, "req-" + (base + i), null));
        }
        return out;
    }
}
