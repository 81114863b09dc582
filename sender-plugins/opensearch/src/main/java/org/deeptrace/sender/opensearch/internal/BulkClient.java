package org.deeptrace.sender.opensearch.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.cat.indices.IndicesRecord;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.generic.Bodies;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;

/**
 * The sender's view of the cluster, on the OpenSearch Java client over Apache HttpClient 5 (which spreads requests
 * over the configured nodes and skips dead ones). Bulk bodies go out as the prepared NDJSON bytes through the
 * client's generic API — no re-serialisation of documents — and the answer is read with the client's typed
 * {@link BulkResponse}.
 */
final class BulkClient implements AutoCloseable {
    private final ApacheHttpClient5Transport transport;
    private final OpenSearchClient client;
    private final OpenSearchGenericClient generic;
    private final JacksonJsonpMapper mapper = new JacksonJsonpMapper();

    BulkClient(List<URI> urls, String username, String password, long timeoutMs) {
        transport = ClusterTransport.create(urls, username, password, timeoutMs, mapper);
        client = new OpenSearchClient(transport);
        generic = client.generic();
    }

    /** What one bulk request did to each of its entries. */
    record Outcome(boolean unreachable, String error, int indexed, List<byte[]> retryable, List<String> rejected) {
        static Outcome unreachable(String error, List<byte[]> entries) {
            return new Outcome(true, error, 0, entries, List.of());
        }
    }

    /**
     * Sends entries as one bulk request. Entries that failed with a status worth retrying (429, 5xx) come back in
     * {@link Outcome#retryable()}; entries the cluster refused for good (mapping errors, ...) in
     * {@link Outcome#rejected()} with the reason. A cluster that cannot be reached returns every entry as retryable.
     */
    Outcome bulk(List<byte[]> entries) {
        int size = 0;
        for (byte[] e : entries) {
            size += e.length;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        for (byte[] e : entries) {
            body.write(e, 0, e.length);
        }
        try (Response response = generic.execute(Requests.create("POST", "/_bulk", List.of(), Map.of(),
                Body.from(body.toByteArray(), "application/x-ndjson")))) {
            int status = response.getStatus();
            if (status == 429 || status >= 500) {
                return new Outcome(false, "bulk status " + status, 0, entries, List.of());
            }
            Body answer = response.getBody().orElse(null);
            if (status != 200 || answer == null) {
                String reason = "bulk status " + status + (answer == null ? "" : ": " + clip(answer.bodyAsString()));
                List<String> rejected = new ArrayList<>();
                entries.forEach(e -> rejected.add(reason));
                return new Outcome(false, reason, 0, List.of(), rejected);
            }
            BulkResponse bulk = Bodies.json(answer, BulkResponse._DESERIALIZER, mapper);
            List<BulkResponseItem> items = bulk.items();
            if (items.size() != entries.size()) {
                return new Outcome(false, "bulk answered " + items.size() + " items for " + entries.size(), 0, entries,
                        List.of());
            }
            int indexed = 0;
            List<byte[]> retry = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                int s = item.status();
                if (s >= 200 && s < 300 && item.error() == null) {
                    indexed++;
                } else if (s == 429 || s >= 500) {
                    retry.add(entries.get(i));
                } else {
                    rejected.add(s + " " + (item.error() == null ? "" : item.error().type() + ": " + item.error().reason()));
                }
            }
            return new Outcome(false, retry.isEmpty() ? null : "some items failed with a retryable status", indexed,
                    retry, rejected);
        } catch (IOException | RuntimeException e) {
            return Outcome.unreachable(e.toString(), entries);
        }
    }

    /** Creates or replaces the index template; returns null on success, else why not. */
    String putTemplate(String name, String json) throws IOException {
        try (Response r = generic.execute(Requests.create("PUT", "/_index_template/" + name, List.of(), Map.of(),
                Body.from(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json")))) {
            if (r.getStatus() == 200) {
                return null;
            }
            return "status " + r.getStatus() + ": " + r.getBody().map(b -> clip(b.bodyAsString())).orElse("");
        }
    }

    /** Names of the indices matching {@code pattern}. */
    List<String> indices(String pattern) throws IOException {
        List<String> names = new ArrayList<>();
        for (IndicesRecord r : client.cat().indices(c -> c.index(pattern)).valueBody()) {
            names.add(r.index());
        }
        return names;
    }

    void deleteIndex(String name) throws IOException {
        client.indices().delete(d -> d.index(name));
    }

    /** True when some node answers. */
    boolean ping() {
        try {
            return client.ping().value();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
