package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live capture against a real redis-server and a real client process, as root (CI runs as root; without
 * root this test fails and says so). Asserts payloads, both addresses, sizes, tcp_seq continuity, a vectored
 * write, a payload larger than the prefix, that untargeted processes produce nothing, and that nothing stays
 * attached after stop.
 */
class RedisCaptureTest {

    static final int SETS = 50;
    static final int BIG = 20000;

    static Process redis;
    static int port;
    @TempDir
    static Path dir;

    @BeforeAll
    static void startRedis() throws Exception {
        List<String> missing = Prerequisites.missing();
        if (!missing.isEmpty()) {
            fail("the live capture test needs root, kernel BTF and libbpf (CI runs as root): "
                    + String.join("; ", missing));
        }
        String server = which("redis-server");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder(server, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !redis.isAlive()) {
                    fail("redis-server did not listen on " + port + ": " + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static String which(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail(program + " not found: apt-get install -y " + (program.startsWith("redis") ? "redis-server" : "python3"));
        return null;
    }

    @Test
    void capturesTheTargetedRedisConversationOnly() throws Exception {
        ConcurrentLinkedQueue<CaptureRecord> records = new ConcurrentLinkedQueue<>();
        int redisPid = (int) redis.pid();
        CaptureSettings settings = CaptureSettings.targets(Set.of(redisPid), Set.of(), Set.of(), false);
        Path script = dir.resolve("redis_client.py");
        try (InputStream in = RedisCaptureTest.class.getResourceAsStream("/redis_client.py")) {
            Files.copy(in, script);
        }
        Process client = new ProcessBuilder(which("python3"), script.toString(), String.valueOf(port),
                String.valueOf(SETS), String.valueOf(BIG)).redirectErrorStream(true).start();
        int clientPid = (int) client.pid();
        Map<String, Long> counters;
        try (LiveCapture capture = LiveCapture.start(settings, r -> records.add(r))) {
            // runtime filter update: the client joins the targets before it sends anything
            capture.update(CaptureSettings.targets(Set.of(redisPid, clientPid), Set.of(), Set.of(), false));
            try (OutputStream go = client.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "client finished");
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, client.exitValue(), out);
            // an untargeted process talking to redis: its own syscalls must not appear
            Process outsider = new ProcessBuilder(which("python3"), "-c",
                    "import socket;s=socket.create_connection(('127.0.0.1'," + port + "));"
                            + "s.sendall(b'*1\\r\\n$4\\r\\nPING\\r\\n');s.recv(100)").start();
            assertTrue(outsider.waitFor(10, TimeUnit.SECONDS));
            long outsiderPid = outsider.pid();
            Thread.sleep(200); // two drain periods and more
            counters = capture.counters();
            assertTrue(records.stream().noneMatch(r -> r.tgid() == outsiderPid), "outsider traced");
        }
        assertEquals(0L, counters.get("drops.kernel_ring_buffer"), counters.toString());
        assertEquals(0L, counters.get("drops.user_space"), counters.toString());
        assertEquals(0L, counters.get("errors.malformed"), counters.toString());

        List<CaptureRecord> all = new ArrayList<>(records);
        assertTrue(all.stream().allMatch(r -> r.tgid() == redisPid || r.tgid() == clientPid),
                "only targeted processes: " + all.stream().map(CaptureRecord::tgid).collect(Collectors.toSet()));
        List<CaptureRecord> client2redis = all.stream().filter(r -> r.tgid() == clientPid).toList();
        assertFalse(client2redis.isEmpty(), "client records");
        String clientLocal = client2redis.get(0).local();
        String serverAddr = "127.0.0.1:" + port;
        assertTrue(client2redis.stream().allMatch(r -> r.remote().equals(serverAddr) && r.local().equals(clientLocal)),
                "client side addresses");
        List<CaptureRecord> server = all.stream().filter(r -> r.tgid() == redisPid && r.remote().equals(clientLocal))
                .toList();
        assertTrue(server.stream().allMatch(r -> r.local().equals(serverAddr)), "server side addresses");

        // every request the client sent reached redis, in order, with the payload prefix
        String serverIn = concat(server, Direction.INGRESS);
        assertEquals(SETS + 2, count(serverIn, "*3\r\n$3\r\nSET\r\n"), "SET requests read by redis");
        for (int i = 0; i < SETS; i++) {
            assertTrue(serverIn.contains("$" + ("key:" + i).length() + "\r\nkey:" + i + "\r\n"), "SET key:" + i);
        }
        String serverOut = concat(server, Direction.EGRESS);
        assertEquals(SETS + 2, count(serverOut, "+OK\r\n"), "OK replies written by redis");

        // the client's vectored write arrives as one writev record carrying all three iovecs
        CaptureRecord writev = client2redis.stream().filter(r -> r.syscall().equals("writev")).findFirst()
                .orElseThrow(() -> new AssertionError("no writev record"));
        assertEquals("*3\r\n$3\r\nSET\r\n$6\r\nvector\r\n$5\r\nwritv\r\n", text(writev));
        assertEquals(writev.capturedSize(), writev.size());

        // a transfer larger than the 4 KiB prefix: size is the real size, payload the prefix
        // (sendall may split the 20 KB command into several sends: the first one carries the command's head)
        String bigHead = "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + BIG + "\r\n0123456789abcdef";
        CaptureRecord bigSet = client2redis.stream().filter(r -> r.direction() == Direction.EGRESS
                && text(r).startsWith(bigHead)).findFirst().orElseThrow(() -> new AssertionError("no big SET record"));
        assertTrue(bigSet.size() > 4096, "the first send of the big SET moved more than the prefix: " + bigSet.size());
        assertTrue(bigSet.truncated());
        assertEquals(4096, bigSet.capturedSize());
        long bigSetBytes = client2redis.stream().filter(r -> r.direction() == Direction.EGRESS
                && r.tsNs() >= bigSet.tsNs()).mapToLong(CaptureRecord::size).sum() - "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".length();
        assertEquals(bigHead.length() - 16 + BIG + 2, bigSetBytes, "bytes of the big SET");
        long bigReplyBytes = server.stream().filter(r -> r.direction() == Direction.EGRESS)
                .mapToLong(CaptureRecord::size).sum() - 5L * (SETS + 2);
        assertEquals(("$" + BIG + "\r\n").length() + BIG + 2, bigReplyBytes, "GET big reply bytes");
        assertTrue(server.stream().anyMatch(r -> r.truncated() && r.direction() == Direction.EGRESS),
                "the big reply is truncated");

        // sizes: untruncated records carry exactly size bytes; the syscall names are the contract's
        for (CaptureRecord r : all) {
            assertEquals(r.truncated(), r.capturedSize() < r.size(), r.toString());
            assertTrue(Set.of("read", "write", "writev", "readv", "recvfrom", "sendto", "recvmsg", "sendmsg")
                    .contains(r.syscall()), r.syscall());
            assertTrue(r.hasTcpSeq() && r.hasEnterNs() && r.enterNs() <= r.tsNs(), r.toString());
        }
        // tcp_seq continuity per (process, socket, direction), and the two sides agree
        assertContinuous(server, Direction.INGRESS);
        assertContinuous(server, Direction.EGRESS);
        assertContinuous(client2redis, Direction.INGRESS);
        assertContinuous(client2redis, Direction.EGRESS);
        assertEquals(first(client2redis, Direction.EGRESS).tcpSeq(), first(server, Direction.INGRESS).tcpSeq(),
                "client write_seq == server copied_seq at the first byte");

        assertNoProgramAttached();
    }

    static CaptureRecord first(List<CaptureRecord> rs, Direction d) {
        return rs.stream().filter(r -> r.direction() == d).min(Comparator.comparingLong(CaptureRecord::tsNs))
                .orElseThrow();
    }

    static void assertContinuous(List<CaptureRecord> rs, Direction d) {
        List<CaptureRecord> seq = rs.stream().filter(r -> r.direction() == d)
                .sorted(Comparator.comparingLong(CaptureRecord::tsNs)).toList();
        assertFalse(seq.isEmpty(), d + " records");
        for (int i = 1; i < seq.size(); i++) {
            long expected = (seq.get(i - 1).tcpSeq() + seq.get(i - 1).size()) & 0xffffffffL;
            assertEquals(expected, seq.get(i).tcpSeq(), d + " record " + i + " of " + seq.size());
        }
    }

    static void assertNoProgramAttached() throws Exception {
        Process p = new ProcessBuilder(which("bpftool"), "prog", "list").redirectErrorStream(true).start();
        String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        List<String> ours = new ArrayList<>(List.of(EventLayout.PROGRAMS));
        ours.addAll(List.of(EventLayout.TLS_PROGRAMS));
        for (String program : ours) {
            String shown = program.length() > 15 ? program.substring(0, 15) : program; // BPF_OBJ_NAME_LEN - 1
            assertFalse(list.contains(" name " + shown + " ") || list.contains(" name " + shown + "\n"),
                    program + " still loaded after stop:\n" + list);
        }
    }

    static String text(CaptureRecord r) {
        byte[] b = new byte[r.capturedSize()];
        r.payload().get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String concat(List<CaptureRecord> rs, Direction d) {
        return rs.stream().filter(r -> r.direction() == d).sorted(Comparator.comparingLong(CaptureRecord::tsNs))
                .map(RedisCaptureTest::text).collect(Collectors.joining());
    }

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
