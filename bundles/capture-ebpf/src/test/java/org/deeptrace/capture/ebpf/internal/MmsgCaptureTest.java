package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sendmmsg/recvmmsg on connected UDP sockets: one record per message, addresses of both ends (root, as CI). */
class MmsgCaptureTest {

    @TempDir
    Path dir;

    @Test
    void eachMessageOfAMultiMessageCallIsOneRecord() throws Exception {
        CapturedHelper.Run run = CapturedHelper.run(dir, "mmsg_pair.c");
        List<CaptureRecord> records = run.records();
        String ports = run.output();
        String a = "127.0.0.1:" + ports.split(" ")[0];
        String b = "127.0.0.1:" + ports.split(" ")[1];
        List<CaptureRecord> sent = records.stream().filter(r -> r.syscall().equals("sendmmsg"))
                .sorted(Comparator.comparingLong(CaptureRecord::tsNs)).toList();
        List<CaptureRecord> received = records.stream().filter(r -> r.syscall().equals("recvmmsg")).toList();
        assertEquals(List.of("one", "two", "three"), sent.stream().map(RedisCaptureTest::text).toList());
        assertEquals(List.of("one", "two", "three"), received.stream().map(RedisCaptureTest::text).toList());
        for (CaptureRecord r : sent) {
            assertEquals(Direction.EGRESS, r.direction());
            assertEquals(Transport.UDP, r.l4());
            assertEquals(a, r.local());
            assertEquals(b, r.remote());
            assertEquals(r.capturedSize(), r.size());
            assertFalse(r.hasTcpSeq());
        }
        for (CaptureRecord r : received) {
            assertEquals(Direction.INGRESS, r.direction());
            assertEquals(b, r.local());
            assertEquals(a, r.remote());
        }
    }
}
