package org.deeptrace.golden.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The service demo.Greeter, defined by hand (no protoc): messages are raw UTF-8 bytes, so the traffic is real
 * grpc-java HTTP/2 framing without a protobuf dependency.
 */
final class Greeter {
    static final String SERVICE = "demo.Greeter";

    static final MethodDescriptor<byte[], byte[]> SAY_HELLO = method("SayHello", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> FAIL = method("Fail", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> COUNT_TO = method("CountTo", MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> SUM = method("Sum", MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<byte[], byte[]> CHAT = method("Chat", MethodType.BIDI_STREAMING);

    private Greeter() {
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(BytesMarshaller.INSTANCE)
                .setResponseMarshaller(BytesMarshaller.INSTANCE)
                .build();
    }

    /** Message bodies as they are. */
    enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
