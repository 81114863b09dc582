// The front tier of the bench/datasets workload: a JDK com.sun.net.httpserver on a fixed thread pool
// (thread-per-request). Every request carries an X-Request-Id; the front forwards it to each child and echoes it.
//
//   /api/fanout  redis GET cache:<id> (pooled raw RESP sockets), then GET B /b/profile, then GET C /c/stock
//   /api/chain   GET B /b/chain (B calls C, C calls redis)
//
// Child HTTP calls use java.net.HttpURLConnection, whose keep-alive cache pools connections per destination
// (at most http.maxConnections = 5 idle ones; extra connections are closed after use), as a JVM service would.
//
//   java Front.java LISTEN_IP PORT THREADS B_BASE_URL C_BASE_URL REDIS_IP REDIS_PORT REDIS_POOL
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

public class Front {
    static String bBase;
    static String cBase;
    static final BlockingQueue<Resp> REDIS = new LinkedBlockingQueue<>();

    public static void main(String[] a) throws Exception {
        bBase = a[3];
        cBase = a[4];
        for (int i = 0; i < Integer.parseInt(a[7]); i++) {
            REDIS.add(new Resp(new Socket(a[5], Integer.parseInt(a[6]))));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(a[0], Integer.parseInt(a[1])), 1024);
        server.setExecutor(Executors.newFixedThreadPool(Integer.parseInt(a[2])));
        server.createContext("/api/fanout", ex -> handle(ex, true));
        server.createContext("/api/chain", ex -> handle(ex, false));
        server.start();
        System.out.println("front ready");
    }

    static void handle(HttpExchange ex, boolean fanout) throws IOException {
        try {
            String id = ex.getRequestHeaders().getFirst("X-Request-Id");
            ex.getRequestBody().readAllBytes();
            String body;
            if (fanout) {
                String cached = redisGet("cache:" + id);
                String b = get(bBase + "/b/profile", id);
                work(200);
                String c = get(cBase + "/c/stock", id);
                body = "{\"id\":\"" + id + "\",\"svc\":\"front\",\"route\":\"fanout\",\"cache\":" + cached.length()
                        + ",\"b\":" + b.length() + ",\"c\":" + c.length() + "}";
            } else {
                String b = get(bBase + "/b/chain", id);
                body = "{\"id\":\"" + id + "\",\"svc\":\"front\",\"route\":\"chain\",\"b\":" + b.length() + "}";
            }
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("X-Request-Id", id);
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (Exception e) {
            byte[] out = ("error " + e).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } finally {
            ex.close();
        }
    }

    /** Some CPU-free "work" of up to maxMicros, so service times vary. */
    static void work(int maxMicros) throws InterruptedException {
        int us = ThreadLocalRandom.current().nextInt(maxMicros);
        Thread.sleep(us / 1000, (us % 1000) * 1000);
    }

    static String get(String url, String id) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setRequestProperty("X-Request-Id", id);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String redisGet(String key) throws Exception {
        Resp r = REDIS.take();
        try {
            return r.command("GET", key);
        } finally {
            REDIS.add(r);
        }
    }

    /** A minimal RESP client on one blocking socket: one command at a time. */
    static final class Resp {
        final Socket s;
        final InputStream in;
        final OutputStream out;

        Resp(Socket s) throws IOException {
            this.s = s;
            s.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        String command(String... args) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] v = arg.getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(v);
                b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(b.toByteArray());
            out.flush();
            return reply();
        }

        String reply() throws IOException {
            String line = line();
            switch (line.charAt(0)) {
                case '+', ':' -> { return line.substring(1); }
                case '-' -> throw new IOException("redis: " + line);
                case '$' -> {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return "";
                    }
                    byte[] v = in.readNBytes(n + 2);
                    return new String(v, 0, n, StandardCharsets.UTF_8);
                }
                default -> throw new IOException("redis: unexpected " + line);
            }
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("redis closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
