package org.deeptrace.pipeline.internal.core;

import org.deeptrace.api.model.L7Message;

/** Receives every parsed L7 message. */
@FunctionalInterface
public interface MessageOutput {
    MessageOutput NONE = m -> { };

    void message(L7Message message);
}
