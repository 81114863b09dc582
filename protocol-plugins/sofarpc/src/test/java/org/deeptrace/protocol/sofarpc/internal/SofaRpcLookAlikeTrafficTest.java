package org.deeptrace.protocol.sofarpc.internal;

import org.deeptrace.testkit.pcap.SiblingTraffic;
import org.junit.jupiter.api.Test;

/**
 * No false positives on real traffic of other protocols: the golden pcaps of the sibling protocol plugins (HTTP/2,
 * TLS, Redis, DNS over UDP and TCP, and whichever others are there: Thrift, bRPC, Tars, FastCGI, ...) replayed
 * through the pipeline with this parser alone must give no message at all.
 */
class SofaRpcLookAlikeTrafficTest {

    @Test
    void siblingPluginsGoldenTrafficIsNeverClaimed() throws Exception {
        SiblingTraffic.assertNoneClaimed(new SofaRpcProtocol(), "redis", "h2c", "tls13", "dns-tcp");
    }
}
