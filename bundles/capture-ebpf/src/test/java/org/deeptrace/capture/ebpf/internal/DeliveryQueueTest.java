package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {

    private static CaptureRecord record(int payload) {
        return new CaptureRecord(1, 0, 1, 1, "c", 3, "write", Direction.EGRESS, Transport.TCP, "1.1.1.1:1",
                "2.2.2.2:2", 0, payload, ByteBuffer.allocate(payload), false);
    }

    @Test
    void refusesRecordsBeyondTheByteBudgetAndTakesThemBackWhenReleased() {
        long oneBig = DeliveryQueue.cost(record(4096));
        DeliveryQueue q = new DeliveryQueue(1000, 3 * oneBig);
        assertTrue(q.offer(record(4096)));
        assertTrue(q.offer(record(4096)));
        assertTrue(q.offer(record(4096)));
        assertFalse(q.offer(record(4096)), "a fourth 4 KiB record exceeds the byte budget");
        assertEquals(3 * oneBig, q.bufferedBytes(), "a refused record leaves the budget as it was");
        assertEquals(3, q.size());
        q.release(oneBig);
        assertTrue(q.offer(record(4096)), "room again once the consumer gave back one record's bytes");
    }

    @Test
    void refusesRecordsBeyondTheCountAndKeepsTheBudgetExact() {
        DeliveryQueue q = new DeliveryQueue(2, 1L << 30);
        assertTrue(q.offer(record(10)));
        assertTrue(q.offer(record(10)));
        assertFalse(q.offer(record(10)));
        assertEquals(2 * DeliveryQueue.cost(record(10)), q.bufferedBytes());
    }

    @Test
    void takesInBatchesInOrderUpToTheLimit() throws InterruptedException {
        DeliveryQueue q = new DeliveryQueue(100, 1L << 30);
        List<CaptureRecord> offered = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CaptureRecord r = record(i);
            offered.add(r);
            assertTrue(q.offer(r));
        }
        List<CaptureRecord> taken = new ArrayList<>();
        assertEquals(4, q.takeBatch(taken, 4));
        assertEquals(offered.subList(0, 4), taken);
        taken.clear();
        assertEquals(6, q.takeBatch(taken, 512));
        for (int i = 0; i < 6; i++) {
            assertSame(offered.get(4 + i), taken.get(i));
        }
    }

    @Test
    void aWaitingOfferSucceedsWhenTheConsumerMakesRoomAndGivesUpAfterItsWait() throws Exception {
        DeliveryQueue q = new DeliveryQueue(1, 1L << 30);
        assertTrue(q.offer(record(10)));
        long t0 = System.nanoTime();
        assertFalse(q.offer(record(10), 20_000_000L), "full, and nobody takes");
        assertTrue(System.nanoTime() - t0 >= 20_000_000L, "it waited");
        Thread consumer = new Thread(() -> {
            try {
                Thread.sleep(50);
                List<CaptureRecord> taken = new ArrayList<>();
                // one record only: a larger batch may also drain the producer's record the moment room appears
                q.takeBatch(taken, 1);
                q.release(DeliveryQueue.cost(taken.get(0)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        assertTrue(q.offer(record(10), 5_000_000_000L), "room made by the consumer while the producer waits");
        consumer.join();
        assertEquals(1, q.size());
    }

    @Test
    void aBudgetSmallerThanOneRecordIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DeliveryQueue(10, 1024));
        assertTrue(DeliveryQueue.defaultByteBudget() >= 16L << 20);
    }
}
