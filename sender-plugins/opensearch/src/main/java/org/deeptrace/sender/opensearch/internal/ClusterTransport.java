package org.deeptrace.sender.opensearch.internal;

import java.net.URI;
import java.util.List;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * The HTTP transport to one cluster, shared in shape by the sender ({@link BulkClient}) and the query backend: the
 * configured nodes (HttpClient 5 spreads requests over them and skips dead ones), timeouts, basic authentication.
 */
public final class ClusterTransport {
    private ClusterTransport() {
    }

    /**
     * A new transport; the caller closes it.
     *
     * @param timeoutMs response and connection-request timeout; connecting waits at most 5 s of it
     */
    public static ApacheHttpClient5Transport create(List<URI> urls, String username, String password, long timeoutMs,
            JacksonJsonpMapper mapper) {
        HttpHost[] hosts = urls.stream()
                .map(u -> new HttpHost(u.getScheme(), u.getHost(), u.getPort() < 0 ? 9200 : u.getPort()))
                .toArray(HttpHost[]::new);
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(hosts).setMapper(mapper);
        builder.setRequestConfigCallback(r -> r.setResponseTimeout(Timeout.ofMilliseconds(timeoutMs))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(timeoutMs)));
        builder.setConnectionConfigCallback(c -> c.setConnectTimeout(Timeout.ofMilliseconds(Math.min(timeoutMs, 5000)))
                .setSocketTimeout(Timeout.ofMilliseconds(timeoutMs)));
        if (!username.isEmpty()) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            for (HttpHost h : hosts) {
                credentials.setCredentials(new AuthScope(h), new UsernamePasswordCredentials(username, password.toCharArray()));
            }
            builder.setHttpClientConfigCallback(h -> h.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }
}
