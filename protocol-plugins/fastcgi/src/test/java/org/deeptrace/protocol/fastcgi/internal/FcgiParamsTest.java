package org.deeptrace.protocol.fastcgi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class FcgiParamsTest {

    /** Found by the Jazzer target (itests/fuzz): a second empty PARAMS record decoded an absent buffer. */
    @Test
    void aLengthBeyondTheBufferDecodesWhatIsThereInsteadOfThrowing() {
        FcgiParams p = FcgiParams.decode(new byte[0], 37);
        assertFalse(p.complete);
        byte[] pair = {11, 3, 'R', 'E', 'Q', 'U', 'E', 'S', 'T', '_', 'U', 'R', 'I', '/', 'a', 'b'};
        FcgiParams cut = FcgiParams.decode(pair, 100);
        assertEquals("/ab", cut.requestUri);
        assertFalse(cut.complete);
    }
}
