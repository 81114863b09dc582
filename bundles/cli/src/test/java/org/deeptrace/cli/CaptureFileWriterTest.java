package org.deeptrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.deeptrace.capture.files.internal.CaptureJsonlInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileWriterTest {

    private static CaptureRecord record(String comm, String local, String remote, long enterNs, long tcpSeq, int fd,
            byte[] payload, int size) {
        return new CaptureRecord(1_732_000_000_123_456_789L, enterNs, 4242, 4243, comm, fd, "sendmsg",
                Direction.EGRESS, Transport.TCP, local, remote, tcpSeq, size, ByteBuffer.wrap(payload),
                payload.length < size);
    }

    /** Every kind of value the writer encodes differently: escapes, UTF-8, optional fields, base64 padding. */
    private static List<CaptureRecord> awkwardRecords() {
        List<CaptureRecord> records = new ArrayList<>();
        Random random = new Random(7);
        for (int len = 0; len <= 7; len++) {
            byte[] p = new byte[len];
            random.nextBytes(p);
            records.add(record("curl", "127.0.0.1:40000", "127.0.0.1:80", 1_732_000_000_000_000_000L, 4_294_967_295L,
                    3, p, len));
        }
        byte[] big = new byte[8192];
        random.nextBytes(big);
        records.add(record("nginx: worker", "[2001:db8::1]:443", "[::1]:55000", CaptureRecord.ABSENT,
                CaptureRecord.ABSENT, 0, big, 100_000));
        records.add(record("q\"uo\\te\n\r\t\u0001\u001f\u007f", "10.0.0.1:1", "10.0.0.2:2", 0, 0, -1,
                "x".getBytes(StandardCharsets.US_ASCII), 1));
        records.add(record("é€\uD83D\uDE00\uD800x", "0.0.0.0:0", "255.255.255.255:65535", -5, 0,
                Integer.MIN_VALUE, new byte[0], 0));
        records.add(new CaptureRecord(Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, 0, "", Integer.MAX_VALUE,
                "recvfrom", Direction.INGRESS, Transport.UDP, "[fe80::1]:53", "[fe80::2]:5353", CaptureRecord.ABSENT,
                Integer.MAX_VALUE, ByteBuffer.wrap(new byte[] {0, (byte) 0xff, (byte) 0xfb}), true));
        return records;
    }

    @Test
    void writesExactlyWhatRecordJsonWrites() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        try (CaptureFileWriter w = new CaptureFileWriter(actual)) {
            for (CaptureRecord r : awkwardRecords()) {
                expected.write((RecordJson.captureRecord(r) + "\n").getBytes(StandardCharsets.UTF_8));
                w.write(r);
            }
        }
        assertEquals(expected.toString(StandardCharsets.UTF_8), actual.toString(StandardCharsets.UTF_8));
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }

    @Test
    void buffersUntilFlushAndWritesLargeBlocks() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CaptureFileWriter w = new CaptureFileWriter(sink);
        CaptureRecord r = record("c", "1.1.1.1:1", "2.2.2.2:2", 1, 1, 1, new byte[1024], 1024);
        w.write(r);
        assertEquals(0, sink.size(), "one record stays in the buffer");
        w.flush();
        int one = sink.size();
        assertEquals(RecordJson.captureRecord(r).length() + 1, one);
        // more than the flush threshold goes out without an explicit flush, in whole records
        int n = CaptureFileWriter.FLUSH_AT / one + 2;
        for (int i = 0; i < n; i++) {
            w.write(r);
        }
        assertTrue(sink.size() > one, "the buffer was written when it passed " + CaptureFileWriter.FLUSH_AT);
        assertEquals(0, (sink.size() - one) % one, "only whole records are written");
        w.close();
        assertEquals((long) one * (n + 1), sink.size());
        assertEquals(n + 1, w.records());
    }

    @Test
    void replayReaderReadsBackTheSameRecords(@TempDir Path dir) throws Exception {
        List<CaptureRecord> written = new ArrayList<>(awkwardRecords());
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) { // several flushes' worth
            byte[] p = new byte[random.nextInt(4097)];
            random.nextBytes(p);
            written.add(record("loop", "127.0.0.1:" + (1024 + i), "127.0.0.1:9000", 10L * i, i, i, p,
                    p.length + random.nextInt(2)));
        }
        Path file = dir.resolve("out.capture.jsonl");
        try (CaptureFileWriter w = new CaptureFileWriter(Files.newOutputStream(file))) {
            for (CaptureRecord r : written) {
                w.write(r);
            }
        }
        List<CaptureRecord> read = new ArrayList<>();
        CaptureJsonlInput input = new CaptureJsonlInput();
        byte[] head = Files.readAllBytes(file);
        assertTrue(input.accepts(file, head), "the replay recognises the file as capture-jsonl");
        CaptureInput.ReadStats stats = input.read(file, new CaptureInput.ReadOptions(false), r -> read.add(r));
        assertEquals(written.size(), stats.records());
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++) {
            CaptureRecord w = written.get(i);
            // the reader decodes comm from UTF-8: a lone surrogate was written as '?'
            String comm = new String(w.comm().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertEquals(new CaptureRecord(w.tsNs(), w.enterNs(), w.tgid(), w.tid(), comm, w.fd(), w.syscall(),
                    w.direction(), w.l4(), w.local(), w.remote(), w.tcpSeq(), w.size(), w.payload(), w.truncated()),
                    read.get(i), "record " + i);
        }
    }
}
