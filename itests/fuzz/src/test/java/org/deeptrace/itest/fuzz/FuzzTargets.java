package org.deeptrace.itest.fuzz;

import java.util.List;
import java.util.function.Supplier;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.protocol.brpc.internal.BrpcProtocol;
import org.deeptrace.protocol.dns.internal.DnsProtocol;
import org.deeptrace.protocol.dubbo.internal.DubboProtocol;
import org.deeptrace.protocol.fastcgi.internal.FcgiProtocol;
import org.deeptrace.protocol.http1.internal.Http1Protocol;
import org.deeptrace.protocol.http2.internal.Http2Protocol;
import org.deeptrace.protocol.redis.internal.RedisProtocol;
import org.deeptrace.protocol.sofarpc.internal.SofaRpcProtocol;
import org.deeptrace.protocol.someip.internal.SomeIpProtocol;
import org.deeptrace.protocol.tars.internal.TarsProtocol;
import org.deeptrace.protocol.thrift.internal.ThriftProtocol;
import org.deeptrace.protocol.tls.internal.TlsProtocol;

/** The fuzz targets: one class per protocol plugin, each fuzzed in its own JVM (Jazzer fuzzes one per JVM). */
final class FuzzTargets {

    /**
     * How much each target is fuzzed when {@code JAZZER_FUZZ=1} (the module's default): a fixed number of inputs
     * from a fixed seed (the pom's {@code -seed}), so a CI run explores exactly what was explored when the targets were
     * last checked here and a finding is reproducible, never luck of the machine's speed; the duration only caps a
     * slow machine (it then runs a prefix of the same sequence). About 2–20 s per target on the 2-core CI machine.
     */
    static final long MAX_EXECUTIONS = 30_000;
    static final String MAX_DURATION = "60s";

    /**
     * A fuzz target: its test class, the parser, the server port of its connections, whether its messages
     * overlap (multiplexed streams), and the plugin folder
     * (under {@code protocol-plugins/}) whose golden pcaps seed it.
     */
    record Target(Class<?> testClass, Supplier<ProtocolParser> parser, int port, boolean interleaved, String plugin) {
        /** The resource folder Jazzer reads the seeds of the target's {@code fuzz} method from. */
        String inputsFolder() {
            return testClass.getSimpleName() + "Inputs/fuzz";
        }
    }

    static final List<Target> ALL = List.of(
            new Target(BrpcParserFuzzTest.class, BrpcProtocol::new, BrpcParserFuzzTest.PORT, BrpcParserFuzzTest.INTERLEAVED, "brpc"),
            new Target(DnsParserFuzzTest.class, DnsProtocol::new, DnsParserFuzzTest.PORT, DnsParserFuzzTest.INTERLEAVED, "dns"),
            new Target(DubboParserFuzzTest.class, DubboProtocol::new, DubboParserFuzzTest.PORT, DubboParserFuzzTest.INTERLEAVED, "dubbo"),
            new Target(FastcgiParserFuzzTest.class, FcgiProtocol::new, FastcgiParserFuzzTest.PORT, FastcgiParserFuzzTest.INTERLEAVED, "fastcgi"),
            new Target(Http1ParserFuzzTest.class, Http1Protocol::new, Http1ParserFuzzTest.PORT, Http1ParserFuzzTest.INTERLEAVED, "http1"),
            new Target(Http2ParserFuzzTest.class, Http2Protocol::new, Http2ParserFuzzTest.PORT, Http2ParserFuzzTest.INTERLEAVED, "http2"),
            new Target(RedisParserFuzzTest.class, RedisProtocol::new, RedisParserFuzzTest.PORT, RedisParserFuzzTest.INTERLEAVED, "redis"),
            new Target(SofaRpcParserFuzzTest.class, SofaRpcProtocol::new, SofaRpcParserFuzzTest.PORT, SofaRpcParserFuzzTest.INTERLEAVED, "sofarpc"),
            new Target(SomeIpParserFuzzTest.class, SomeIpProtocol::new, SomeIpParserFuzzTest.PORT, SomeIpParserFuzzTest.INTERLEAVED, "someip"),
            new Target(TarsParserFuzzTest.class, TarsProtocol::new, TarsParserFuzzTest.PORT, TarsParserFuzzTest.INTERLEAVED, "tars"),
            new Target(ThriftParserFuzzTest.class, ThriftProtocol::new, ThriftParserFuzzTest.PORT, ThriftParserFuzzTest.INTERLEAVED, "thrift"),
            new Target(TlsParserFuzzTest.class, TlsProtocol::new, TlsParserFuzzTest.PORT, TlsParserFuzzTest.INTERLEAVED, "tls"));

    private FuzzTargets() {
    }
}
