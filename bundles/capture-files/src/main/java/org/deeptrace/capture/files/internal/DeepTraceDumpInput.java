package org.deeptrace.capture.files.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.capture.CaptureSink;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.osgi.service.component.annotations.Component;

/**
 * The span dump of the original DeepTrace Rust agent (contract, "Compatibility input"):
 * {@code {"spans": [{"req": MESSAGE, "resp": MESSAGE}, ...]}}. Each message becomes one capture record; records
 * are handed on in time order, since the dump groups them by span. The dump has no file descriptors (one is made
 * up per connection) and no sequence numbers.
 */
@Component(service = CaptureInput.class)
public final class DeepTraceDumpInput implements CaptureInput {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Made-up descriptors start here so they don't look like stdin/stdout. */
    private static final int FIRST_FD = 1000;

    @Override
    public String format() {
        return "deeptrace-dump";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        int i = InputFiles.firstNonWhitespace(head);
        if (i < 0 || head[i] != '{') {
            return false;
        }
        int j = InputFiles.firstNonWhitespace(java.util.Arrays.copyOfRange(head, i + 1, head.length));
        return j >= 0 && startsWith(head, i + 1 + j, "\"spans\"");
    }

    @Override
    public ReadStats read(Path file, ReadOptions options, CaptureSink sink) throws IOException, MalformedInputException {
        List<CaptureRecord> records = new ArrayList<>();
        Map<String, Integer> fds = new HashMap<>();
        long skipped = 0;
        String firstSkip = null;
        try (InputStream in = InputFiles.open(file); JsonParser p = JSON.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedInputException(file, 1, "expected a JSON object with a \"spans\" array");
            }
            boolean sawSpans = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!"spans".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new MalformedInputException(file, p.currentLocation().getLineNr(), "\"spans\" must be an array");
                }
                sawSpans = true;
                int index = 0;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    index++;
                    long line = p.currentLocation().getLineNr();
                    JsonNode span = JSON.readTree(p);
                    try {
                        for (String part : new String[] {"req", "resp"}) {
                            JsonNode m = span.get(part);
                            if (m != null && !m.isNull()) {
                                records.add(toRecord(m, part, fds));
                            } else if ("req".equals(part)) {
                                throw new InvalidRecordException("span has no \"req\"");
                            }
                        }
                    } catch (InvalidRecordException e) {
                        String where = "span " + index + ": " + e.getMessage();
                        if (!options.lenient()) {
                            throw new MalformedInputException(file, line, where);
                        }
                        skipped++;
                        if (firstSkip == null) {
                            firstSkip = file + ":" + line + ": " + where;
                        }
                    }
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw new MalformedInputException(file, p.currentLocation().getLineNr(),
                            "\"spans\" must hold span objects");
                }
            }
            if (!sawSpans) {
                throw new MalformedInputException(file, 0, "no \"spans\" array: not a DeepTrace agent dump");
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new MalformedInputException(file, line, "not valid JSON: " + e.getOriginalMessage());
        }
        records.sort(Comparator.comparingLong(CaptureRecord::tsNs));
        for (CaptureRecord r : records) {
            sink.accept(r);
        }
        return new ReadStats(records.size(), skipped, firstSkip);
    }

    private static CaptureRecord toRecord(JsonNode m, String part, Map<String, Integer> fds) throws InvalidRecordException {
        long ts = requiredLong(m, "timestamp_ns", part);
        int tgid = (int) requiredLong(m, "tgid", part);
        int tid = m.hasNonNull("pid") ? m.get("pid").asInt() : tgid;
        JsonNode q = m.get("quintuple");
        if (q == null || !q.isObject()) {
            throw new InvalidRecordException(part + ": field 'quintuple' is missing");
        }
        String local = address(q, "src_addr", "src_port", part);
        String remote = address(q, "dst_addr", "dst_port", part);
        Transport l4 = transport(q.get("l4_protocol"));
        Direction direction;
        try {
            direction = Direction.fromWireName(text(m, "direction", part));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(part + ": " + e.getMessage());
        }
        byte[] payload = m.hasNonNull("payload") ? m.get("payload").asText().getBytes(StandardCharsets.UTF_8) : new byte[0];
        int fd = fds.computeIfAbsent(tgid + "|" + local + "|" + remote, k -> FIRST_FD + fds.size());
        String syscall = m.hasNonNull("syscall") ? m.get("syscall").asText().toLowerCase(java.util.Locale.ROOT) : null;
        return new CaptureRecord(ts, CaptureRecord.ABSENT, tgid, tid, m.path("comm").asText(""), fd, syscall, direction,
                l4, local, remote, CaptureRecord.ABSENT, payload.length, ByteBuffer.wrap(payload), false);
    }

    private static long requiredLong(JsonNode m, String field, String part) throws InvalidRecordException {
        JsonNode v = m.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new InvalidRecordException(part + ": field '" + field + "' is missing or not an integer");
        }
        return v.asLong();
    }

    private static String text(JsonNode m, String field, String part) throws InvalidRecordException {
        JsonNode v = m.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidRecordException(part + ": field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    /** The agent writes IPv4 addresses as the integer the kernel holds: network byte order read little-endian. */
    private static String address(JsonNode q, String addrField, String portField, String part) throws InvalidRecordException {
        JsonNode a = q.get(addrField);
        JsonNode port = q.get(portField);
        if (a == null || port == null || !port.canConvertToInt()) {
            throw new InvalidRecordException(part + ": quintuple needs '" + addrField + "' and '" + portField + "'");
        }
        String ip;
        if (a.isTextual()) {
            ip = a.asText();
        } else if (a.canConvertToLong()) {
            long v = a.asLong();
            ip = (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
        } else {
            throw new InvalidRecordException(part + ": '" + addrField + "' must be an integer IPv4 address");
        }
        return ip.contains(":") ? "[" + ip + "]:" + port.asInt() : ip + ":" + port.asInt();
    }

    private static Transport transport(JsonNode v) {
        if (v == null) {
            return Transport.TCP;
        }
        if (v.isNumber()) {
            return v.asInt() == 17 ? Transport.UDP : Transport.TCP; // IP protocol numbers
        }
        return v.asText().toLowerCase(java.util.Locale.ROOT).contains("udp") ? Transport.UDP : Transport.TCP;
    }

    private static boolean startsWith(byte[] head, int at, String s) {
        if (at + s.length() > head.length) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (head[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
