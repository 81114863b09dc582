package org.deeptrace.pipeline.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the pipeline, pid {@code org.deeptrace.pipeline} (etc/org.deeptrace.pipeline.cfg). */
@ObjectClassDefinition(name = "DeepTrace pipeline",
        description = "Protocol parsing, span building and correlation of captured traffic.")
@interface PipelineConfig {

    @AttributeDefinition(name = "Correlator", description = "Name of the correlator plugin that picks parent spans.")
    String correlator() default "fifo";

    @AttributeDefinition(name = "Host", description = "Host name written into spans; empty means this machine's name.")
    String host() default "";

    @AttributeDefinition(name = "Window (ms)", description = "Length of a correlation window, in capture time.")
    long window_ms() default 5000;

    @AttributeDefinition(name = "Grace (ms)", description = "How long a window waits for late responses before it is decided.")
    long grace_ms() default 5000;

    @AttributeDefinition(name = "Reorder wait (ms)", description = "How long out-of-order TCP data waits for missing bytes before they are declared lost.")
    long reorder_ms() default 200;

    @AttributeDefinition(name = "Queue capacity", description = "Capture records buffered between capture and parsing; beyond it records are dropped and counted.")
    int queue_capacity() default 65536;

    @AttributeDefinition(name = "Sender queue capacity", description = "Spans buffered per sender; beyond it spans are dropped and counted.")
    int sender_queue_capacity() default 65536;

    @AttributeDefinition(name = "Inference threshold", description = "Lowest confidence at which a protocol is accepted for a connection (0..1).")
    double min_confidence() default 0.5;

    @AttributeDefinition(name = "Disabled protocols", required = false, description = "Protocol names (as in the records, e.g. THRIFT, DUBBO), comma-separated, that are never inferred or used; connections using one fall back to inference.")
    String protocols_disabled() default "";

    @AttributeDefinition(name = "Pinned ports", required = false, description = "PORT[/tcp|/udp]=PROTOCOL entries, comma-separated: connections whose server port (either end's for UDP) is pinned use that protocol without inference, e.g. 9090=HTTP2, 6380=REDIS, 15353/udp=DNS.")
    String protocols_ports() default "";
}
