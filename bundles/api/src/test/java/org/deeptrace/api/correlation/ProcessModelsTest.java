package org.deeptrace.api.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessModelsTest {

    @Test
    void keepsOneModelPerProcessAndForgetsTheLeastRecentlyUsed() {
        ProcessModels<List<String>> models = new ProcessModels<>(2, ArrayList::new);
        List<String> a = models.of(1);
        List<String> b = models.of(2);
        assertSame(a, models.of(1), "1 is now the most recently used");
        models.of(3); // evicts 2
        assertEquals(2, models.size());
        assertSame(a, models.of(1));
        assertNotSame(b, models.of(2), "2 was forgotten and starts afresh");
    }
}
