package org.deeptrace.protocol.thrift.internal;

import org.deeptrace.testkit.pcap.SiblingTraffic;
import org.junit.jupiter.api.Test;

/**
 * No false positives on real traffic: the golden pcaps of every other protocol plugin (HTTP/2, gRPC, TLS, DNS,
 * Redis, Dubbo, SOFARPC, bRPC, Tars, SOME/IP, FastCGI, ...) replayed with the Thrift parser alone give no message,
 * with the THeader and JSON encodings recognised too.
 */
class ThriftLookAlikeTrafficTest {
    @Test
    void siblingPluginsTrafficIsNotThrift() throws Exception {
        SiblingTraffic.assertNoneClaimed(new ThriftProtocol(), "redis", "h2c", "tls13", "dns-tcp", "dubbo", "tars");
    }
}
