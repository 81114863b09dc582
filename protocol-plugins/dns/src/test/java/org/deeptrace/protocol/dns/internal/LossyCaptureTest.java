package org.deeptrace.protocol.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.pipeline.internal.core.Counters;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.deeptrace.pipeline.internal.core.Pipeline;
import org.deeptrace.pipeline.internal.core.PipelineSettings;
import org.deeptrace.testkit.CaptureRecords;
import org.junit.jupiter.api.Test;

/**
 * The 332 UDP records of the shared rps100 dataset (a Go service resolving names through Docker's resolver),
 * whose DNS payloads the original agent stored as lossy text, against the dataset's 166 true DNS client spans.
 */
class LossyCaptureTest {
    private static final Pattern KEY = Pattern.compile(
            "\"tgid\":(\\d+),\"kind\":\"client\",\"local\":\"([^\"]+)\",\"remote\":\"([^\"]+)\",\"start_ns\":(\\d+)");

    @Test
    void everyTrueDnsSpanIsFoundWithItsNameAndType() throws IOException {
        List<CaptureRecord> records = CaptureRecords.readResource(getClass(), "/rps100/rps100-dns.capture.jsonl");
        List<L7Message> messages = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        Counters counters = new Counters();
        Pipeline pipeline = new Pipeline(ParserCatalog.of(List.of(new DnsProtocol())), () -> null,
                PipelineSettings.defaults("test"), counters, messages::add, spans::addAll);
        records.forEach(pipeline::accept);
        pipeline.finish();

        Set<String> truth = trueClientSpans();
        assertEquals(166, truth.size());
        Map<String, Span> found = new HashMap<>();
        for (Span s : spans) {
            found.put(s.tgid() + " " + s.local() + " " + s.remote() + " " + s.startNs(), s);
        }
        Set<String> missing = new HashSet<>(truth);
        missing.removeAll(found.keySet());
        assertTrue(missing.isEmpty(), "true DNS spans without a span: " + missing);
        for (String key : truth) {
            Span s = found.get(key);
            assertEquals(SpanKind.CLIENT, s.kind());
            assertEquals("DNS", s.protocol());
            assertTrue("A".equals(s.requestType()) || "AAAA".equals(s.requestType()), s::toString);
            assertTrue(s.requestResource().startsWith("service-"), s::toString);
        }
        long requests = messages.stream().filter(m -> m.parsed().type() == MessageType.REQUEST).count();
        assertEquals(166, requests);
        // An id survives when its bytes were valid UTF-8 (ASCII, or part of a valid sequence); where both the
        // query's and the response's survived, they must agree (each socket carries one exchange).
        Map<String, Object> queryIds = new HashMap<>();
        int agreeing = 0;
        int withId = 0;
        for (L7Message m : messages) {
            Object id = m.parsed().requestId();
            withId += id == null ? 0 : 1;
            String client = m.parsed().type() == MessageType.REQUEST ? m.src() : m.dst();
            if (m.parsed().type() == MessageType.REQUEST) {
                queryIds.put(client, id);
            } else if (id != null && queryIds.get(client) != null) {
                assertEquals(queryIds.get(client), id, "query and response ids of " + client);
                agreeing++;
            }
        }
        assertTrue(withId >= 100 && agreeing >= 10, withId + " messages with an id, " + agreeing + " pairs agree");
        assertEquals(0, counters.snapshot().entrySet().stream()
                .filter(e -> e.getKey().startsWith("parse.malformed")).mapToLong(Map.Entry::getValue).sum());
    }

    private Set<String> trueClientSpans() throws IOException {
        Set<String> keys = new HashSet<>();
        try (InputStream in = getClass().getResourceAsStream("/rps100/rps100-dns.truth.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = KEY.matcher(line);
                if (m.find()) {
                    keys.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
                }
            }
        }
        return keys;
    }
}
