package golden;

import com.baidu.brpc.RpcContext;
import com.baidu.brpc.client.BrpcProxy;
import com.baidu.brpc.client.RpcClient;
import com.baidu.brpc.client.RpcClientOptions;
import com.baidu.brpc.protocol.BrpcMeta;
import com.baidu.brpc.protocol.Options;
import com.baidu.brpc.server.RpcServer;
import com.baidu.brpc.server.RpcServerOptions;
import com.baidu.bjf.remoting.protobuf.FieldType;
import com.baidu.bjf.remoting.protobuf.ProtobufProxy;
import com.baidu.bjf.remoting.protobuf.code.TemplateCodeGenerator;
import com.baidu.bjf.remoting.protobuf.utils.compiler.JdkCompiler;
import com.baidu.bjf.remoting.protobuf.annotation.Protobuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A brpc-java server and client on loopback speaking baidu_std: normal calls (one with a log id, a kv and a
 * binary attachment), a call whose handler throws, and 8 concurrent calls on one connection.
 * Usage: BrpcTraffic PORT
 */
public final class BrpcTraffic {

    /** A jprotobuf message (brpc-java encodes it as protobuf): one string field. */
    public static final class StringValue {
        @Protobuf(fieldType = FieldType.STRING, order = 1)
        public String value;

        public static StringValue of(String value) {
            StringValue v = new StringValue();
            v.value = value;
            return v;
        }

        public String getValue() {
            return value;
        }
    }

    public interface EchoService {
        @BrpcMeta(serviceName = "example.EchoService", methodName = "Echo")
        StringValue echo(StringValue request);

        @BrpcMeta(serviceName = "example.EchoService", methodName = "Fail")
        StringValue fail(StringValue request);
    }

    public static final class EchoServiceImpl implements EchoService {
        @Override
        public StringValue echo(StringValue request) {
            return StringValue.of("echo:" + request.getValue());
        }

        @Override
        public StringValue fail(StringValue request) {
            throw new IllegalStateException("no such user: " + request.getValue());
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        // jprotobuf's default run-time compiler asks javac for -source 1.6, which JDK 17 refuses: build (and
        // cache) the codec with a current source level before brpc-java asks for it.
        ProtobufProxy.create(StringValue.class, false, null,
                new JdkCompiler(BrpcTraffic.class.getClassLoader(), "1.8"), new TemplateCodeGenerator(StringValue.class));
        RpcServer server = new RpcServer(port, new RpcServerOptions());
        server.registerService(new EchoServiceImpl());
        server.start();
        RpcClientOptions options = new RpcClientOptions();
        options.setProtocolType(Options.ProtocolType.PROTOCOL_BAIDU_STD_VALUE);
        options.setReadTimeoutMillis(5000);
        options.setMaxTotalConnections(1);
        options.setMinIdleConnections(1);
        RpcClient client = new RpcClient("list://127.0.0.1:" + port, options);
        try {
            EchoService echo = BrpcProxy.getProxy(client, EchoService.class);
            System.out.println(echo.echo(StringValue.of("hello")).getValue());

            RpcContext context = RpcContext.getContext();
            context.setLogId(20260101L);
            context.setRequestKvAttachment("x-request-id", "golden-1");
            context.setRequestBinaryAttachment("attached bytes".getBytes());
            System.out.println(echo.echo(StringValue.of("with log id")).getValue());
            RpcContext.getContext().reset();

            try {
                echo.fail(StringValue.of("bob"));
            } catch (RuntimeException expected) {
                System.out.println("failed as expected: " + expected.getMessage());
            }

            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<StringValue>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String text = "concurrent-" + i + "-" + "x".repeat(100 * i);
                calls.add(pool.submit(() -> echo.echo(StringValue.of(text))));
            }
            for (Future<StringValue> f : calls) {
                System.out.println(f.get().getValue().length());
            }
            pool.shutdown();
        } finally {
            client.stop();
            server.shutdown();
        }
    }
}
