package org.deeptrace.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;

/**
 * Reads capture records (contract section 1, {@code *.capture.jsonl}) for tests, and groups them by socket.
 *
 * <pre>{@code
 * List<CaptureRecord> records = CaptureRecords.readResource(MyTest.class, "/traffic.capture.jsonl");
 * for (List<CaptureRecord> socket : CaptureRecords.bySocket(records).values()) {
 *     ParserHarness h = ParserHarness.replay(new MyProtocol(), socket).close();
 *     // assert on h.requests(), h.responses(), h.malformed()
 * }
 * }</pre>
 *
 * <p>Unknown fields are ignored; a missing required field or a bad value fails with the source, line and reason.
 */
public final class CaptureRecords {

    private CaptureRecords() {
    }

    /** One socket as seen by one process: the records of one end of one connection. */
    public record Socket(int tgid, int fd, String local, String remote) {
    }

    /** Reads a file of capture records. */
    public static List<CaptureRecord> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Reads a class-path resource of capture records.
     *
     * @param anchor the class whose {@link Class#getResourceAsStream} resolves {@code name}
     */
    public static List<CaptureRecord> readResource(Class<?> anchor, String name) {
        InputStream in = anchor.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalArgumentException("no resource " + name + " next to " + anchor.getName());
        }
        try (in) {
            return read(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Reads capture records, one JSON object per line; blank lines are skipped.
     *
     * @param source names the input in error messages
     */
    public static List<CaptureRecord> read(InputStream in, String source) throws IOException {
        List<CaptureRecord> records = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(parse(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return records;
    }

    /** Parses one JSON line into a record. */
    public static CaptureRecord parse(String jsonLine) {
        Map<String, Object> f = JsonLine.parseObject(jsonLine);
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(text(f, "payload_b64"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("payload_b64: not base64 (" + e.getMessage() + ")");
        }
        try {
            return new CaptureRecord(
                    number(f, "ts_ns"),
                    optionalNumber(f, "enter_ns"),
                    (int) number(f, "tgid"),
                    (int) number(f, "tid"),
                    optionalText(f, "comm"),
                    (int) number(f, "fd"),
                    optionalText(f, "syscall"),
                    Direction.fromWireName(text(f, "direction")),
                    Transport.fromWireName(text(f, "l4")),
                    text(f, "local"),
                    text(f, "remote"),
                    optionalNumber(f, "tcp_seq"),
                    (int) number(f, "size"),
                    ByteBuffer.wrap(payload),
                    Boolean.TRUE.equals(f.get("truncated")));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Groups records by socket ({@code tgid}, {@code fd}, {@code local}, {@code remote}), keeping file order within
     * each group and ordering the groups by their first record.
     */
    public static Map<Socket, List<CaptureRecord>> bySocket(List<CaptureRecord> records) {
        Map<Socket, List<CaptureRecord>> sockets = new LinkedHashMap<>();
        for (CaptureRecord r : records) {
            sockets.computeIfAbsent(new Socket(r.tgid(), r.fd(), r.local(), r.remote()), k -> new ArrayList<>()).add(r);
        }
        return sockets;
    }

    private static String text(Map<String, Object> f, String name) {
        Object v = f.get(name);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(name + ": " + (v == null ? "missing" : "not a string"));
        }
        return s;
    }

    private static String optionalText(Map<String, Object> f, String name) {
        return f.get(name) instanceof String s ? s : null;
    }

    private static long number(Map<String, Object> f, String name) {
        Object v = f.get(name);
        if (!(v instanceof Long n)) {
            throw new IllegalArgumentException(name + ": " + (v == null ? "missing" : "not an integer"));
        }
        return n;
    }

    private static long optionalNumber(Map<String, Object> f, String name) {
        return f.get(name) == null ? CaptureRecord.ABSENT : number(f, name);
    }
}
