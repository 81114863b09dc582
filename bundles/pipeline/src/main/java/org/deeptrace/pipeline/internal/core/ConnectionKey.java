package org.deeptrace.pipeline.internal.core;

import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Transport;

/**
 * One socket of one process on one host: both directions of a connection as that process sees it. The host keeps
 * apart processes of different hosts that happen to share a process id when several hosts' captures are replayed
 * together.
 *
 * @param tls the plaintext inside TLS (records of the SSL_read/SSL_write uprobes) rather than the socket's own
 *        bytes: live capture of a TLS process gives both streams for one socket, and each is a connection of its
 *        own, or the plaintext would be parsed inside the ciphertext
 */
record ConnectionKey(String host, int tgid, Transport l4, String local, String remote, boolean tls) {
    static ConnectionKey of(String host, CaptureRecord r) {
        return new ConnectionKey(host, r.tgid(), r.l4(), r.local(), r.remote(),
                r.syscall() != null && r.syscall().startsWith("ssl_"));
    }
}
