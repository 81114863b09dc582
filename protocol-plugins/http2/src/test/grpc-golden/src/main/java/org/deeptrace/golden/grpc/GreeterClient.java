package org.deeptrace.golden.grpc;

import static org.deeptrace.golden.grpc.GreeterServer.text;
import static org.deeptrace.golden.grpc.GreeterServer.utf8;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls demo.Greeter on 127.0.0.1:PORT over one plaintext HTTP/2 connection, one call after the other (streams 1,
 * 3, 5, ... in this order): SayHello twice (the first with traceparent and x-request-id metadata), CountTo 3
 * (server streaming), Sum of 4 numbers (client streaming), Chat with 3 messages (bidi streaming), and Fail
 * (answered with grpc-status 5 NOT_FOUND and a grpc-message). Prints what it got. Usage: GreeterClient PORT
 */
public final class GreeterClient {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            Metadata traced = new Metadata();
            traced.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            traced.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "grpc-1");
            Channel tracedChannel = ClientInterceptors.intercept(channel,
                    MetadataUtils.newAttachHeadersInterceptor(traced));
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);

            System.out.println(text(ClientCalls.blockingUnaryCall(tracedChannel, Greeter.SAY_HELLO, options,
                    utf8("alice"))));
            System.out.println(text(ClientCalls.blockingUnaryCall(channel, Greeter.SAY_HELLO, options,
                    utf8("bob"))));

            Iterator<byte[]> counted = ClientCalls.blockingServerStreamingCall(channel, Greeter.COUNT_TO, options,
                    utf8("3"));
            List<String> numbers = new ArrayList<>();
            counted.forEachRemaining(b -> numbers.add(text(b)));
            System.out.println("CountTo " + numbers);

            Collector sum = new Collector();
            StreamObserver<byte[]> adds = ClientCalls.asyncClientStreamingCall(
                    channel.newCall(Greeter.SUM, options), sum);
            for (String n : List.of("1", "2", "3", "4")) {
                adds.onNext(utf8(n));
            }
            adds.onCompleted();
            System.out.println("Sum " + sum.done.get(10, TimeUnit.SECONDS));

            Collector chat = new Collector();
            StreamObserver<byte[]> says = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(Greeter.CHAT, options), chat);
            for (String s : List.of("one", "two", "three")) {
                says.onNext(utf8(s));
            }
            says.onCompleted();
            System.out.println("Chat " + chat.done.get(10, TimeUnit.SECONDS));

            try {
                ClientCalls.blockingUnaryCall(channel, Greeter.FAIL, options, utf8("mallory"));
                System.out.println("Fail succeeded?");
            } catch (StatusRuntimeException e) {
                System.out.println("Fail " + e.getStatus());
            }
        } finally {
            channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.println("CLIENT DONE");
    }

    /** Collects the messages of a call that answers with a stream or a single message. */
    static final class Collector implements StreamObserver<byte[]> {
        final List<String> got = new ArrayList<>();
        final CompletableFuture<List<String>> done = new CompletableFuture<>();

        @Override
        public synchronized void onNext(byte[] value) {
            got.add(text(value));
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public synchronized void onCompleted() {
            done.complete(List.copyOf(got));
        }
    }

    private GreeterClient() {
    }
}
