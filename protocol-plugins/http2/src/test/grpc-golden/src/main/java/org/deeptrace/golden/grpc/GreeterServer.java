package org.deeptrace.golden.grpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves demo.Greeter on 127.0.0.1:PORT (plaintext HTTP/2) until killed. Usage: GreeterServer PORT */
public final class GreeterServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ServerServiceDefinition service = ServerServiceDefinition.builder(Greeter.SERVICE)
                .addMethod(Greeter.SAY_HELLO, ServerCalls.asyncUnaryCall((request, out) -> {
                    out.onNext(utf8("Hello, " + text(request)));
                    out.onCompleted();
                }))
                .addMethod(Greeter.FAIL, ServerCalls.asyncUnaryCall((request, out) ->
                        out.onError(Status.NOT_FOUND.withDescription("no user " + text(request))
                                .asRuntimeException())))
                .addMethod(Greeter.COUNT_TO, ServerCalls.asyncServerStreamingCall((request, out) -> {
                    int n = Integer.parseInt(text(request));
                    for (int i = 1; i <= n; i++) {
                        out.onNext(utf8(String.valueOf(i)));
                    }
                    out.onCompleted();
                }))
                .addMethod(Greeter.SUM, ServerCalls.asyncClientStreamingCall((StreamObserver<byte[]> out) -> new StreamObserver<byte[]>() {
                    long sum;

                    @Override
                    public void onNext(byte[] value) {
                        sum += Long.parseLong(text(value));
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onNext(utf8(String.valueOf(sum)));
                        out.onCompleted();
                    }
                }))
                .addMethod(Greeter.CHAT, ServerCalls.asyncBidiStreamingCall((StreamObserver<byte[]> out) -> new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] value) {
                        out.onNext(utf8("echo " + text(value)));
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(service).build().start();
        System.out.println("SERVER READY " + port);
        server.awaitTermination();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private GreeterServer() {
    }
}
