package org.deeptrace.protocol.http1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.testkit.CaptureRecords;
import org.deeptrace.testkit.ParserHarness;
import org.deeptrace.testkit.ParserHarness.Message;
import org.junit.jupiter.api.Test;

/**
 * The first 80 capture records of the shared {@code rps100} dataset (three Go net/http services; see
 * /work/shared/datasets/README.md) and the true spans that start in them. Every socket is replayed through the
 * harness; each request's first byte must lie in the record the truth names as its span's start, and carry the
 * request id the truth names as its trace.
 */
class GoServicesCaptureTest {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private record SpanKey(int tgid, String local, String remote, long startNs) {
    }

    @Test
    void requestsAndResponsesOfEverySocket() throws IOException {
        List<CaptureRecord> records = CaptureRecords.readResource(getClass(), "/rps100/rps100-head.capture.jsonl");
        Map<SpanKey, String> truth = readTruth();
        int requests = 0;
        int responses = 0;
        int matchedTruth = 0;
        for (List<CaptureRecord> socket : CaptureRecords.bySocket(records).values()) {
            if (socket.get(0).l4() != Transport.TCP) {
                continue; // the DNS lookups
            }
            ParserHarness h = ParserHarness.replay(new Http1Protocol(), socket).close();
            assertTrue(h.malformed().isEmpty(), h.malformed().toString());
            for (Message m : h.requests()) {
                ParsedMessage p = m.parsed();
                assertEquals("GET", p.requestType());
                assertEquals("/", p.requestResource());
                assertEquals("/", p.endpoint());
                assertEquals("1.1", p.version());
                assertTrue(UUID.matcher(p.xRequestId()).matches(), p.xRequestId());
                CaptureRecord first = recordAt(socket, h, Origin.CLIENT, m.start());
                String trace = truth.get(new SpanKey(first.tgid(), first.local(), first.remote(), first.tsNs()));
                if (trace != null) {
                    assertEquals(trace, p.xRequestId(), "request starting at " + first.tsNs());
                    matchedTruth++;
                }
                requests++;
            }
            for (Message m : h.responses()) {
                assertEquals(200, m.parsed().responseCode());
                assertEquals(ResponseStatus.OK, m.parsed().responseStatus());
                assertEquals(m.end() - m.start(), m.parsed().size());
                // Every service echoes the request id in its JSON body, inside the response's byte range.
                String body = bytesOf(socket, h, Origin.SERVER, m.start(), m.end());
                Matcher id = UUID.matcher(body);
                assertTrue(id.find(), body);
                responses++;
            }
        }
        assertEquals(37, requests, "one request per record");
        assertEquals(31, responses, "one response per record");
        assertTrue(matchedTruth >= 30, "requests matched to a true span: " + matchedTruth);
    }

    /** The record of {@code socket} that carried the byte at {@code offset} of {@code origin}'s stream. */
    private static CaptureRecord recordAt(List<CaptureRecord> socket, ParserHarness h, Origin origin, long offset) {
        long at = 0;
        for (CaptureRecord r : socket) {
            if (originOf(r, h) == origin) {
                if (offset < at + r.size()) {
                    return r;
                }
                at += r.size();
            }
        }
        throw new AssertionError("offset " + offset + " beyond the records");
    }

    private static String bytesOf(List<CaptureRecord> socket, ParserHarness h, Origin origin, long from, long to) {
        StringBuilder sb = new StringBuilder();
        long at = 0;
        for (CaptureRecord r : socket) {
            if (originOf(r, h) != origin) {
                continue;
            }
            byte[] payload = new byte[r.capturedSize()];
            r.payload().get(payload);
            for (int i = 0; i < payload.length; i++) {
                if (at + i >= from && at + i < to) {
                    sb.append((char) (payload[i] & 0xFF));
                }
            }
            at += r.size();
        }
        return sb.toString();
    }

    private static Origin originOf(CaptureRecord r, ParserHarness h) {
        String sender = r.direction() == Direction.EGRESS ? r.local() : r.remote();
        return sender.equals(h.connection().client()) ? Origin.CLIENT : Origin.SERVER;
    }

    private Map<SpanKey, String> readTruth() throws IOException {
        Map<SpanKey, String> truth = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/rps100/rps100-head.truth.jsonl")) {
            assertNotNull(in);
            List<String> lines = new ArrayList<>(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            Pattern field = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9]+|null)");
            for (String line : lines) {
                Map<String, String> f = new HashMap<>();
                Matcher m = field.matcher(line);
                while (m.find()) {
                    f.put(m.group(1), m.group(2).replace("\"", ""));
                }
                if ("HTTP1".equals(f.get("protocol"))) {
                    truth.put(new SpanKey(Integer.parseInt(f.get("tgid")), f.get("local"), f.get("remote"),
                            Long.parseLong(f.get("start_ns"))), f.get("trace"));
                }
            }
        }
        return truth;
    }
}
