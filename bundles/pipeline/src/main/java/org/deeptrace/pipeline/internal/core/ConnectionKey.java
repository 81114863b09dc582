package org.deeptrace.pipeline.internal.core;

import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Transport;

/**
 * One socket of one process on one host: both directions of a connection as that process sees it. The host keeps
 * apart processes of different hosts that happen to share a process id when several hosts' captures are replayed
 * together.
 */
record ConnectionKey(String host, int tgid, Transport l4, String local, String remote) {
    static ConnectionKey of(String host, CaptureRecord r) {
        return new ConnectionKey(host, r.tgid(), r.l4(), r.local(), r.remote());
    }
}
