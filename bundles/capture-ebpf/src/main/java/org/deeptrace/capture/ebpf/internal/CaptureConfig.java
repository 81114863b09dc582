package org.deeptrace.capture.ebpf.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the live capture, pid {@code org.deeptrace.capture} (etc/org.deeptrace.capture.cfg). */
/* Double underscores: DS maps them to one underscore in the property name (payload__size -> payload_size). */
@ObjectClassDefinition(name = "DeepTrace eBPF capture", description = "Which processes the eBPF capture traces and how.")
public @interface CaptureConfig {

    @AttributeDefinition(description = "Process ids to trace (comma separated).")
    String[] pids() default {};

    @AttributeDefinition(description = "Process names to trace, as the kernel's comm (at most 15 bytes).")
    String[] comms() default {};

    @AttributeDefinition(description = "cgroup v2 directories whose processes to trace (absolute, or relative to /sys/fs/cgroup).")
    String[] cgroups() default {};

    @AttributeDefinition(description = "Trace every process except the agent itself.")
    boolean all() default false;

    @AttributeDefinition(description = "Payload prefix captured per syscall, bytes (at most 8192).")
    int payload__size() default EventLayout.DEFAULT_PAYLOAD;

    @AttributeDefinition(description = "Kernel ring buffer size, bytes (a power of two).")
    int ring__buffer__size() default CaptureSettings.DEFAULT_RING_BUFFER;

    @AttributeDefinition(description = "Programs to attach, the original DeepTrace's names (sys_enter_read, sys_exit_read, ...); empty: all.")
    String[] probes() default {};

    @AttributeDefinition(description = "Records decoded but not yet taken by the pipeline; beyond it records are dropped and counted.")
    int max__buffered__events() default CaptureSettings.DEFAULT_MAX_BUFFERED;

    @AttributeDefinition(description = "Attach uprobes to OpenSSL's SSL_read/SSL_write (and _ex) in the libssl the targets map: TLS plaintext.")
    boolean tls() default true;

    @AttributeDefinition(description = "Milliseconds the drain thread sleeps when the ring buffer is empty.")
    int poll__interval__ms() default CaptureSettings.DEFAULT_POLL_MS;
}
