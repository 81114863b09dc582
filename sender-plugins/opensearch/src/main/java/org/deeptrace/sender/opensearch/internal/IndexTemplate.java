package org.deeptrace.sender.opensearch.internal;

/**
 * The composable index template for the daily span indices: explicit mappings for every field of the span record
 * (contract section 3), so ids and names are exact-match keywords, times are longs, {@code @timestamp} is a date for
 * time-range queries and histograms, and an unknown field is kept in the source but not indexed.
 */
final class IndexTemplate {
    private IndexTemplate() {
    }

    /** Template name: the prefix without its trailing separator. */
    static String name(String indexPrefix) {
        return indexPrefix.replaceAll("[-_.]+$", "");
    }

    static String body(String indexPrefix, int shards, int replicas) {
        return """
                {
                  "index_patterns": ["%s*"],
                  "priority": 100,
                  "template": {
                    "settings": {
                      "index.number_of_shards": %d,
                      "index.number_of_replicas": %d,
                      "index.refresh_interval": "5s"
                    },
                    "mappings": {
                      "dynamic": false,
                      "properties": {
                        "@timestamp":       {"type": "date", "format": "epoch_millis"},
                        "span_id":          {"type": "keyword"},
                        "parent_span_id":   {"type": "keyword"},
                        "trace_id":         {"type": "keyword"},
                        "kind":             {"type": "keyword"},
                        "host":             {"type": "keyword"},
                        "tgid":             {"type": "integer"},
                        "tid":              {"type": "integer"},
                        "comm":             {"type": "keyword"},
                        "protocol":         {"type": "keyword"},
                        "l4":               {"type": "keyword"},
                        "local":            {"type": "keyword"},
                        "remote":           {"type": "keyword"},
                        "start_ns":         {"type": "long"},
                        "end_ns":           {"type": "long"},
                        "duration_ns":      {"type": "long"},
                        "req_size":         {"type": "long"},
                        "resp_size":        {"type": "long"},
                        "endpoint":         {"type": "keyword", "ignore_above": 1024},
                        "request_type":     {"type": "keyword"},
                        "request_resource": {"type": "keyword", "ignore_above": 2048},
                        "response_status":  {"type": "keyword"},
                        "response_code":    {"type": "integer"},
                        "trace_id_header":  {"type": "keyword"},
                        "x_request_id":     {"type": "keyword"},
                        "correlation": {
                          "type": "object",
                          "properties": {
                            "algorithm":  {"type": "keyword"},
                            "score":      {"type": "float"},
                            "candidates": {"type": "integer"}
                          }
                        }
                      }
                    }
                  },
                  "_meta": {"created_by": "deeptrace-sender-opensearch"}
                }
                """.formatted(indexPrefix, shards, replicas);
    }
}
