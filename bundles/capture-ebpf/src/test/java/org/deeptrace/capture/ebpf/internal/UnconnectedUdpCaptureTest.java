package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unconnected UDP (DNS servers, most UDP services): the socket knows no peer, the call's address argument does.
 * Every record — sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg — carries the real peer, not 0.0.0.0:0.
 */
class UnconnectedUdpCaptureTest {

    @TempDir
    Path dir;

    @Test
    void thePeerComesFromTheCallsAddress() throws Exception {
        CapturedHelper.Run run = CapturedHelper.run(dir, "udp_unconnected.c");
        String a = "127.0.0.1:" + run.output().split(" ")[0];
        String b = "127.0.0.1:" + run.output().split(" ")[1];
        Map<String, List<CaptureRecord>> bySyscall = run.records().stream()
                .collect(Collectors.groupingBy(CaptureRecord::syscall));
        assertEquals(List.of("ping"), texts(bySyscall.get("sendto")));
        assertEquals(List.of("ping"), texts(bySyscall.get("recvfrom")));
        assertEquals(List.of("pong"), texts(bySyscall.get("sendmsg")));
        assertEquals(List.of("pong"), texts(bySyscall.get("recvmsg")));
        assertEquals(List.of("m1", "m2"), texts(bySyscall.get("sendmmsg")));
        assertEquals(List.of("m1", "m2"), texts(bySyscall.get("recvmmsg")));
        for (CaptureRecord r : run.records()) {
            assertEquals(Transport.UDP, r.l4());
            String expectedPeer = r.local().equals(a) ? b : a;
            assertEquals(expectedPeer, r.remote(), r.syscall() + " on " + r.local() + " names its peer");
        }
    }

    private static List<String> texts(List<CaptureRecord> records) {
        return records == null ? List.of() : records.stream().map(RedisCaptureTest::text).toList();
    }
}
