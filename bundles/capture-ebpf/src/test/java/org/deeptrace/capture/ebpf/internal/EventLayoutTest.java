package org.deeptrace.capture.ebpf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** native/include/deeptrace_abi.h as the C compiler lays it out == EventLayout's constants. */
class EventLayoutTest {

    @Test
    void javaConstantsMatchTheCompiledHeader() {
        assertNull(NativeBridge.load(), "the module's JNI library must load (built by native/Makefile)");
        assertArrayEquals(EventLayout.NATIVE_LAYOUT_ORDER, NativeBridge.layout(),
                "order: version, sizeof(dt_event), DT_EVENT_HEADER_SIZE, DT_PAYLOAD_CAP, field offsets..., "
                        + "sizeof(dt_config), DT_CNT_MAX");
    }
}
