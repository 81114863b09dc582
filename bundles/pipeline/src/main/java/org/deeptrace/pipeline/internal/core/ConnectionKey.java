package org.deeptrace.pipeline.internal.core;

import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Transport;

/** One socket of one process: both directions of a connection as that process sees it. */
record ConnectionKey(int tgid, Transport l4, String local, String remote) {
    static ConnectionKey of(CaptureRecord r) {
        return new ConnectionKey(r.tgid(), r.l4(), r.local(), r.remote());
    }
}
