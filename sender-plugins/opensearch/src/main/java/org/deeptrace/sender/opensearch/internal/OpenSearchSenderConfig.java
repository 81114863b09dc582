package org.deeptrace.sender.opensearch.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the OpenSearch sender, pid {@code org.deeptrace.sender.opensearch}
 * (etc/org.deeptrace.sender.opensearch.cfg). The sender registers itself with the pipeline only when
 * {@code enabled = true}.
 */
@ObjectClassDefinition(name = "DeepTrace OpenSearch sender",
        description = "Bulk-indexes spans into daily OpenSearch indices, spooling to disk while the cluster is away.")
@interface OpenSearchSenderConfig {

    @AttributeDefinition(name = "Enabled", description = "Send spans; when false the sender is not offered to the pipeline.")
    boolean enabled() default false;

    @AttributeDefinition(name = "URLs", description = "Comma-separated node URLs of one cluster, e.g. http://10.0.0.1:9200,http://10.0.0.2:9200.")
    String urls() default "http://127.0.0.1:9200";

    @AttributeDefinition(name = "User name", description = "HTTP basic authentication; empty for none.", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(name = "Index prefix", description = "Spans go to <prefix>YYYY.MM.DD (UTC day of the span's start, see timestamp).")
    String index_prefix() default "deeptrace-spans-";

    @AttributeDefinition(name = "Bulk actions", description = "Spans per bulk request.")
    int bulk_actions() default 1000;

    @AttributeDefinition(name = "Bulk size (KB)", description = "Bytes per bulk request, at most.")
    int bulk_size_kb() default 5120;

    @AttributeDefinition(name = "Flush interval (ms)", description = "A partial batch is sent after this long.")
    long flush_interval_ms() default 1000;

    @AttributeDefinition(name = "Retention (days)", description = "Daily indices older than this are deleted; 0 keeps them.")
    int retention_days() default 7;

    @AttributeDefinition(name = "Shards", description = "Primary shards per daily index.")
    int shards() default 1;

    @AttributeDefinition(name = "Replicas", description = "Replicas per daily index (0 for a single node).")
    int replicas() default 1;

    @AttributeDefinition(name = "Retries", description = "Attempts after the first for a batch before it goes to the spool.")
    int retries() default 3;

    @AttributeDefinition(name = "Backoff (ms)", description = "First retry delay; doubles per attempt up to backoff_max_ms.")
    long backoff_ms() default 100;

    @AttributeDefinition(name = "Backoff max (ms)", description = "Longest delay between attempts, also for the spool drainer.")
    long backoff_max_ms() default 30000;

    @AttributeDefinition(name = "Timeout (ms)", description = "Connect and response timeout of one request.")
    long timeout_ms() default 10000;

    @AttributeDefinition(name = "Spool path", description = "Directory holding spans the cluster did not take yet.")
    String spool_path() default "data/spool/opensearch";

    @AttributeDefinition(name = "Spool max size (MB)", description = "Beyond it spans are dropped and counted.")
    long spool_max_mb() default 1024;

    @AttributeDefinition(name = "Timestamp", description = "auto: start_ns when it is wall-clock time, else start_ns since the host's boot (monotonic capture clock); start_ns: as it is; received: when the sender got the span (a span sent again on another day is then a second document).")
    String timestamp() default "auto";

    @AttributeDefinition(name = "Answer queries", description = "Register the OpenSearch query backend: the span store the REST API and the shell use (service.ranking 200, above the embedded store), over the indices <index_prefix>*.")
    boolean query_enabled() default false;
}
