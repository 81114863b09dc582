package org.deeptrace.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class CaptureRecordsTest {

    private static final String LINE = "{\"ts_ns\":100,\"tgid\":7,\"tid\":8,\"comm\":\"main\",\"fd\":3,"
            + "\"syscall\":\"write\",\"direction\":\"egress\",\"l4\":\"tcp\",\"local\":\"10.0.0.1:40000\","
            + "\"remote\":\"10.0.0.2:80\",\"tcp_seq\":4294967295,\"size\":10,\"payload_b64\":\"aGk=\","
            + "\"truncated\":true,\"future_field\":{\"nested\":[1,2]}}";

    @Test
    void parsesEveryContractField() {
        CaptureRecord r = CaptureRecords.parse(LINE);
        assertEquals(100, r.tsNs());
        assertEquals(CaptureRecord.ABSENT, r.enterNs());
        assertEquals(7, r.tgid());
        assertEquals(8, r.tid());
        assertEquals("main", r.comm());
        assertEquals(3, r.fd());
        assertEquals("write", r.syscall());
        assertEquals(Direction.EGRESS, r.direction());
        assertEquals(Transport.TCP, r.l4());
        assertEquals("10.0.0.1:40000", r.local());
        assertEquals("10.0.0.2:80", r.remote());
        assertEquals(4294967295L, r.tcpSeq());
        assertEquals(10, r.size());
        assertTrue(r.truncated());
        byte[] payload = new byte[r.capturedSize()];
        r.payload().get(payload);
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), payload);
    }

    @Test
    void readsWhatTheApiWrites() {
        CaptureRecord original = new CaptureRecord(5, 4, 1, 2, "svc", 9, "read", Direction.INGRESS, Transport.TCP,
                "[::1]:80", "[::1]:5000", CaptureRecord.ABSENT, 3, ByteBuffer.wrap(new byte[] {0, -1, 10}), false);
        CaptureRecord back = CaptureRecords.parse(RecordJson.captureRecord(original));
        assertEquals(original.enterNs(), back.enterNs());
        assertEquals(original.local(), back.local());
        assertFalse(back.hasTcpSeq());
        assertEquals(original.payload(), back.payload());
    }

    @Test
    void namesTheSourceLineAndFieldOfAnError() {
        String input = LINE + "\n\n" + LINE.replace("\"size\":10,", "") + "\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaptureRecords.read(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "x.capture.jsonl"));
        assertEquals("x.capture.jsonl:3: size: missing", e.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> CaptureRecords.parse(LINE.replace("\"egress\"", "\"sideways\"")));
        assertThrows(IllegalArgumentException.class, () -> CaptureRecords.parse(LINE.replace("aGk=", "@@@")));
        assertThrows(IllegalArgumentException.class, () -> CaptureRecords.parse(LINE.replace("\"fd\":3", "\"fd\":\"3\"")));
        // More payload than the syscall transferred is impossible.
        assertThrows(IllegalArgumentException.class, () -> CaptureRecords.parse(LINE.replace("\"size\":10", "\"size\":1")));
    }

    @Test
    void groupsBySocketInOrderOfFirstAppearance() throws Exception {
        String other = LINE.replace("\"fd\":3", "\"fd\":4");
        String input = String.join("\n", LINE, other, LINE.replace("\"ts_ns\":100", "\"ts_ns\":200"));
        List<CaptureRecord> records = CaptureRecords.read(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "mem");
        Map<CaptureRecords.Socket, List<CaptureRecord>> sockets = CaptureRecords.bySocket(records);
        assertEquals(List.of(new CaptureRecords.Socket(7, 3, "10.0.0.1:40000", "10.0.0.2:80"),
                new CaptureRecords.Socket(7, 4, "10.0.0.1:40000", "10.0.0.2:80")), List.copyOf(sockets.keySet()));
        List<CaptureRecord> first = sockets.values().iterator().next();
        assertEquals(List.of(100L, 200L), first.stream().map(CaptureRecord::tsNs).toList());
    }

    @Test
    void readsAClassPathResource() {
        List<CaptureRecord> records = CaptureRecords.readResource(CaptureRecordsTest.class, "/lines.capture.jsonl");
        assertEquals(4, records.size());
        assertThrows(IllegalArgumentException.class,
                () -> CaptureRecords.readResource(CaptureRecordsTest.class, "/missing.jsonl"));
    }
}
