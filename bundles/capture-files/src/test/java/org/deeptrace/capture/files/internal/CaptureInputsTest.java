package org.deeptrace.capture.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.capture.CaptureInput.ReadOptions;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureInputsTest {
    static final ReadOptions STRICT = new ReadOptions(false);
    static final ReadOptions LENIENT = new ReadOptions(true);
    static final String GOOD = "{\"ts_ns\":5,\"tgid\":1,\"tid\":2,\"comm\":\"c\",\"fd\":3,\"syscall\":\"read\","
            + "\"direction\":\"ingress\",\"l4\":\"tcp\",\"local\":\"1.1.1.1:80\",\"remote\":\"2.2.2.2:9\","
            + "\"tcp_seq\":7,\"size\":4,\"payload_b64\":\"R0VUIA==\",\"truncated\":false}";

    @TempDir
    Path dir;

    final CaptureJsonlInput jsonl = new CaptureJsonlInput();
    final DeepTraceDumpInput dump = new DeepTraceDumpInput();
    final List<CaptureRecord> records = new ArrayList<>();

    Path resource(String name) throws URISyntaxException {
        return Path.of(getClass().getResource("/" + name).toURI());
    }

    Path file(String content) throws IOException {
        Path f = dir.resolve("in.capture.jsonl");
        Files.writeString(f, content);
        return f;
    }

    CaptureInput.ReadStats read(CaptureInput input, Path file, ReadOptions options) throws Exception {
        return input.read(file, options, records::add);
    }

    @Test
    void readsRealCaptureRecordsPlainAndGzip() throws Exception {
        assertEquals(40, read(jsonl, resource("rps100-head.capture.jsonl"), STRICT).records());
        assertEquals(40, read(jsonl, resource("rps100-head.capture.jsonl.gz"), STRICT).records());
        CaptureRecord first = records.get(0);
        assertEquals(2408374496483741L, first.tsNs());
        assertEquals(3056354, first.tgid());
        assertEquals(Direction.INGRESS, first.direction());
        assertEquals(Transport.TCP, first.l4());
        assertEquals("192.168.0.4:5000", first.local());
        assertEquals(2109213893L, first.tcpSeq());
        assertEquals(92, first.size());
        assertTrue(StandardCharsets.US_ASCII.decode(first.payload()).toString().startsWith("GET / HTTP/1.1\r\n"));
        assertEquals(records.subList(0, 40).toString(), records.subList(40, 80).toString());
    }

    @Test
    void unknownFieldsAreIgnoredAndOptionalFieldsMayBeAbsent() throws Exception {
        String line = "{\"future\":{\"x\":[1,2]},\"ts_ns\":5,\"tgid\":1,\"direction\":\"egress\",\"l4\":\"udp\","
                + "\"local\":\"[::1]:53\",\"remote\":\"[::1]:999\",\"size\":10,\"payload_b64\":\"AAE=\"}";
        read(jsonl, file(line + "\n"), STRICT);
        CaptureRecord r = records.get(0);
        assertEquals(1, r.tid(), "tid defaults to the tgid");
        assertFalse(r.hasTcpSeq());
        assertTrue(r.truncated(), "2 of 10 bytes captured");
        assertEquals("[::1]:53", r.local());
    }

    @Test
    void aTruncatedLineIsReportedWithFileAndLineNumber() throws Exception {
        Path f = file(GOOD + "\n" + GOOD.substring(0, 50) + "\n" + GOOD + "\n");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(jsonl, f, STRICT));
        assertEquals(2, e.line());
        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f + ":2: not valid JSON"), e.getMessage());
    }

    @Test
    void lenientModeSkipsAndCountsBadLinesAndKeepsTheRest() throws Exception {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'};
        Path f = dir.resolve("mixed.jsonl");
        Files.write(f, (GOOD + "\n").getBytes());
        Files.write(f, garbage, java.nio.file.StandardOpenOption.APPEND);
        Files.write(f, (GOOD.replace("\"tgid\":1,", "") + "\n" + GOOD + "\n").getBytes(), java.nio.file.StandardOpenOption.APPEND);

        CaptureInput.ReadStats stats = read(jsonl, f, LENIENT);
        assertEquals(2, stats.records());
        assertEquals(2, stats.skipped());
        assertTrue(stats.firstSkipReason().contains(":2: not valid JSON"), stats.firstSkipReason());

        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> read(jsonl, file(GOOD.replace("\"tgid\":1,", "") + "\n"), STRICT));
        assertEquals("required field 'tgid' is missing", e.reason());
    }

    @Test
    void fieldsOfTheWrongKindAreNamed() throws Exception {
        assertEquals("field 'size' must be an integer, not a string",
                assertThrows(MalformedInputException.class, () -> read(jsonl, file(GOOD.replace("\"size\":4", "\"size\":\"4\"")), STRICT)).reason());
        assertEquals("payload_b64 holds 4 bytes but size is 2",
                assertThrows(MalformedInputException.class, () -> read(jsonl, file(GOOD.replace("\"size\":4", "\"size\":2")), STRICT)).reason());
        assertEquals("direction must be 'ingress' or 'egress', not 'up'",
                assertThrows(MalformedInputException.class, () -> read(jsonl, file(GOOD.replace("ingress", "up")), STRICT)).reason());
    }

    @Test
    void formatsAreRecognisedByTheirFirstBytes() throws Exception {
        assertTrue(jsonl.accepts(Path.of("x"), GOOD.getBytes()));
        assertFalse(dump.accepts(Path.of("x"), GOOD.getBytes()));
        byte[] dumpHead = " {\n  \"spans\": [".getBytes();
        assertTrue(dump.accepts(Path.of("x"), dumpHead));
        assertFalse(jsonl.accepts(Path.of("x"), dumpHead));
        assertFalse(jsonl.accepts(Path.of("x"), new byte[] {0x7f, 'E', 'L', 'F'}));
    }

    @Test
    void readsTheOriginalAgentsDumpInTimeOrder() throws Exception {
        // 192.168.0.4 as the agent writes it: the kernel's network-order u32 read little-endian.
        long a = 4L << 24 | 0 << 16 | 168 << 8 | 192;
        long b = 3L << 24 | 0 << 16 | 168 << 8 | 192;
        String req = "{\"tgid\":10,\"pid\":11,\"timestamp_ns\":200,\"quintuple\":{\"src_addr\":" + b + ",\"dst_addr\":" + a
                + ",\"src_port\":5000,\"dst_port\":40000,\"l4_protocol\":\"TCP\"},\"syscall\":\"Read\",\"direction\":\"Ingress\","
                + "\"comm\":\"svc\",\"payload\":\"GET / HTTP/1.1\\r\\n\\r\\n\",\"protocol\":\"HTTP\",\"type\":\"Request\"}";
        String resp = req.replace("\"timestamp_ns\":200", "\"timestamp_ns\":100").replace("Ingress", "Egress")
                .replace("GET / HTTP/1.1", "HTTP/1.1 200 OK");
        Path f = dir.resolve("dump.json");
        Files.writeString(f, "{\"spans\": [{\"req\": " + req + ", \"resp\": " + resp + "}]}");
        assertEquals(2, read(dump, f, STRICT).records());
        CaptureRecord first = records.get(0);
        assertEquals(100, first.tsNs(), "records are handed on in time order");
        assertEquals("192.168.0.3:5000", first.local());
        assertEquals("192.168.0.4:40000", first.remote());
        assertEquals(Direction.EGRESS, first.direction());
        assertEquals(11, first.tid());
        assertEquals(records.get(0).fd(), records.get(1).fd(), "one made-up fd per connection");

        Files.writeString(f, "{\"spans\": [{\"resp\": " + resp + "}]}");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(dump, f, STRICT));
        assertEquals("span 1: span has no \"req\"", e.reason());
    }

    @Test
    void aDamagedGzipFileIsAClearError() throws Exception {
        byte[] gz;
        try (InputStream in = Files.newInputStream(resource("rps100-head.capture.jsonl.gz"))) {
            gz = in.readAllBytes();
        }
        Path f = dir.resolve("cut.jsonl.gz");
        Files.write(f, java.util.Arrays.copyOf(gz, gz.length / 2));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(jsonl, f, STRICT));
        assertTrue(e.getMessage().contains("compressed data is damaged or cut short")
                || e.getMessage().contains("not valid JSON"), e.getMessage());
    }
}
