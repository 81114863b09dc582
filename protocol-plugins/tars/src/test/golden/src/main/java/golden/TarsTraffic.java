package golden;

import com.qq.tars.client.Communicator;
import com.qq.tars.client.CommunicatorConfig;
import com.qq.tars.client.CommunicatorFactory;
import com.qq.tars.net.core.IoBuffer;
import com.qq.tars.protocol.annotation.Servant;
import com.qq.tars.protocol.tars.TarsInputStream;
import com.qq.tars.protocol.tars.annotation.TarsContext;
import com.qq.tars.protocol.tars.annotation.TarsMethodParameter;
import com.qq.tars.rpc.protocol.tars.TarsCodec;
import com.qq.tars.rpc.protocol.tars.TarsServantRequest;
import com.qq.tars.rpc.protocol.tars.TarsServantResponse;
import com.qq.tars.rpc.protocol.tars.support.AnalystManager;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tars traffic on loopback: TarsJava's real client (Communicator, direct endpoint, no registry) calls a server
 * whose wire side is TarsJava's own server codec (TarsCodec.decodeRequest / encodeResponse with the servant's
 * method table from AnalystManager, as TarsJava's server does). Usage: TarsTraffic PORT
 */
public final class TarsTraffic {
    static final String SERVANT = "TestApp.HelloServer.HelloObj";

    /** The client proxy, as tars2java generates it from {@code string hello(int no, string name)}. */
    @Servant
    public interface HelloPrx {
        String hello(@TarsMethodParameter(name = "no") int no, @TarsMethodParameter(name = "name") String name);

        String hello(@TarsMethodParameter(name = "no") int no, @TarsMethodParameter(name = "name") String name,
                @TarsContext Map<String, String> ctx);
    }

    /** The server-side interface of the same servant. */
    @Servant
    public interface HelloServant {
        String hello(@TarsMethodParameter(name = "no") int no, @TarsMethodParameter(name = "name") String name);
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        // the servant's method table, as TarsJava's server registers it (encodeResponse reads the return type there)
        AnalystManager.getInstance().registry("ROOT", HelloServant.class, SERVANT);
        ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> serve(server), "tars-server");
        acceptor.setDaemon(true);
        acceptor.start();

        CommunicatorConfig config = new CommunicatorConfig();
        Communicator communicator = CommunicatorFactory.getInstance().getCommunicator(config);
        HelloPrx proxy = communicator.stringToProxy(HelloPrx.class,
                SERVANT + "@tcp -h 127.0.0.1 -p " + port + " -t 5000");
        System.out.println(proxy.hello(1, "alice"));
        System.out.println(proxy.hello(2, "bob", Map.of("x-request-id", "golden-tars-1")));
        try {
            proxy.hello(-1, "mallory");
        } catch (RuntimeException expected) {
            System.out.println("failed as expected: " + expected);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = 100 + i;
            calls.add(pool.submit(() -> proxy.hello(n, "concurrent-" + "y".repeat(50 * n % 400))));
        }
        for (Future<String> f : calls) {
            System.out.println(f.get().length());
        }
        pool.shutdown();
        Thread.sleep(200);
        server.close();
        System.exit(0);
    }

    private static void serve(ServerSocket server) {
        try {
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> connection(s), "tars-conn");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // the server socket was closed: done
        }
    }

    private static void connection(Socket s) {
        TarsCodec codec = new TarsCodec("UTF-8");
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int length = in.readInt();
                byte[] packet = new byte[length];
                ByteBuffer.wrap(packet).putInt(length);
                in.readFully(packet, 4, length - 4);
                TarsServantRequest request = (TarsServantRequest) codec.decodeRequest(IoBuffer.wrap(packet), null);
                // decodeRequest looks the servant up in a TarsJava server's application context, which this
                // program does not run (it sets ret -4, "no servant"); the parameters are read with TarsJava's
                // TarsInputStream and the method table registered above gives encodeResponse the return type.
                request.setRet(0);
                request.setMethodInfo(AnalystManager.getInstance().getMethodMapByName(SERVANT)
                        .get(request.getFunctionName()));
                TarsInputStream body = new TarsInputStream(request.getData());
                body.setServerEncoding("UTF-8");
                int no = body.read(0, 1, true);
                String name = body.readString(2, true);
                TarsServantResponse response = new TarsServantResponse(null);
                response.setRequest(request);
                response.setVersion(request.getVersion());
                response.setPacketType(request.getPacketType());
                response.setMessageType(request.getMessageType());
                response.setRequestId(request.getRequestId());
                response.setCharsetName("UTF-8");
                response.setTimeout(0);
                response.setContext(request.getContext());
                if (no < 0) {
                    response.setRet(-99); // TARSSERVERUNKNOWNERR
                    response.setRemark("java.lang.IllegalArgumentException: no such user: " + name);
                } else {
                    response.setRet(0);
                    response.setResult("hello " + name + " #" + no);
                }
                IoBuffer encoded = codec.encodeResponse(response, null);
                byte[] bytes = new byte[encoded.remaining()];
                encoded.get(bytes);
                out.write(bytes);
                out.flush();
            }
        } catch (Exception e) {
            if (!(e instanceof java.io.EOFException)) {
                System.err.println("SERVER: " + e);
                e.printStackTrace();
            }
        }
    }
}
