package org.deeptrace.correlator.deeptrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EdgeModelTest {

    @Test
    void beforeAnythingIsLearnedOneCallOfAKindPerParentIsTheRule() {
        EdgeModel e = new EdgeModel();
        assertEquals(0, e.slotCost(0), 1e-9);
        assertEquals(EdgeModel.EXTRA_CALL_PENALTY, e.slotCost(1), 0.01);
        assertTrue(e.slotCost(2) > e.slotCost(1));
        assertEquals(Double.POSITIVE_INFINITY, e.slotCost(EdgeModel.MAX_CALLS));
    }

    @Test
    void theFirstLearnedParentsDoNotWeakenTheRule() {
        EdgeModel e = new EdgeModel();
        for (int p = 0; p < 10; p++) {
            e.countParent(1);
        }
        assertTrue(e.slotCost(1) >= EdgeModel.EXTRA_CALL_PENALTY, "cost " + e.slotCost(1));
    }

    @Test
    void parentsThatCallTwiceTeachThatASecondCallIsNormal() {
        EdgeModel e = new EdgeModel();
        for (int p = 0; p < 200; p++) {
            e.countParent(2);
        }
        assertTrue(e.slotCost(1) < 0.1, "second call: " + e.slotCost(1));
        assertTrue(e.slotCost(2) > 3, "third call: " + e.slotCost(2));
    }
}
